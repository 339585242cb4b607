# @summary The Choria machine `hoist_NAME` that runs one container, as a hash for `machine.yaml`.
#
# The machine is built from the container's resolved spec (the content of `container.json`), so
# the two cannot disagree. It holds no environment values: those stay in `container.json`.
#
# States and transitions:
#
# * `START`: the initial state, whenever Choria (re)loads the machine. Choria runs no watcher on
#   entering the initial state, so `initial_check` runs `hoist-cli check` after 2s: a healthy
#   container goes straight to `RUN` (`healthy`) without a restart, anything else to `RESTART`.
# * `RUN`: the container should be running; `check` runs every `check_interval` and its
#   failure fires `restart`. The `tag` KV watcher (with `kv_update`) fires `update` when the
#   desired tag changes, and each `restart_files` watcher fires `restart` when its file changes.
# * `RESTART`: `hoist-cli restart` replaces the container, retried every 30s; success fires `started`.
#   The `tag` KV watcher stays active here, so a corrected tag reaches a retry that keeps failing.
#   The start is health-gated: hoist-cli stops the old container (up to `stop_timeout` seconds),
#   then waits up to `start_timeout` for the new one to be running and healthy for
#   `min_healthy_time`. The watcher's timeout covers that, so Choria never kills a start that is
#   still allowed to succeed (and a governor slot is held until the node serves again): in seconds,
#   `max(300, start_timeout + min_healthy_time + stop_timeout + 120)`, with hoist-cli's defaults
#   `60s` and `1s` for the unset ones; the 120s leave room for the pull, the JVM and Docker.
# * `UPDATE`: `hoist-cli update` pulls the desired image; success fires `updated`, failure
#   `update_failed`, both back to `RUN`, where `check` replaces a container that runs another image.
# * `STOP`: `hoist-cli stop` stops the container, retried every 30s; success fires `stopped`.
# * `MAINTENANCE`: nothing runs until the operator fires `resume` (or `stop`).
#
# @param spec
#   The resolved container spec, as `hoist::container` writes it to `container.json`.
#
# @return [Hash] The machine, ready for `to_yaml`.
#
# @example
#   file { '/etc/choria/machine/hoist_weather/machine.yaml':
#     content => to_yaml(hoist::container_machine($spec)),
#   }
function hoist::container_machine(Hash[String[1], Any] $spec) >> Hash {
  $name = $spec['name']

  $transitions = [
    ['restart', ['START', 'RUN'], 'RESTART', 'Replace the container with a new one from the current spec'],
    ['update', ['RUN', 'RESTART'], 'UPDATE', 'Pull the desired image; the check then replaces the container'],
    ['stop', ['START', 'RUN', 'RESTART', 'UPDATE', 'MAINTENANCE'], 'STOP', 'Stop the container, then enter maintenance'],
    ['maintenance', ['START', 'RUN', 'RESTART', 'UPDATE'], 'MAINTENANCE', 'Pause health checks and remediation'],
    ['resume', ['MAINTENANCE'], 'RUN', 'Leave maintenance: check and remediate again'],
    ['healthy', ['START'], 'RUN', 'The container already runs as specified'],
    ['started', ['RESTART'], 'RUN', 'The new container is running'],
    ['updated', ['UPDATE'], 'RUN', 'The desired image is present'],
    ['update_failed', ['UPDATE'], 'RUN', 'The desired image could not be pulled; keep the running container'],
    ['stopped', ['STOP'], 'MAINTENANCE', 'The container is stopped'],
  ].map |$t| {
    { 'name' => $t[0], 'from' => $t[1], 'destination' => $t[2], 'description' => $t[3] }
  }

  $restart_timeout = max(300,
    hoist::seconds(pick($spec['start_timeout'], '60s')) +
    hoist::seconds(pick($spec['min_healthy_time'], '1s')) +
    $spec['stop_timeout'] + 120
  )

  $exec_watchers = [
    hoist::exec_watcher('initial_check', ['START'], ['check', $name], '60s',
      { 'interval' => '2s', 'success_transition' => 'healthy', 'fail_transition' => 'restart' },
    ),
    hoist::exec_watcher('check', ['RUN'], ['check', $name], '60s',
      { 'interval' => $spec['check_interval'], 'fail_transition' => 'restart' },
      { 'suppress_success_announce' => true },
    ),
    hoist::exec_watcher('restart', ['RESTART'], ['restart', $name], "${restart_timeout}s",
      { 'interval' => '30s', 'success_transition' => 'started' },
      { 'governor' => $spec['restart_governor'] },
    ),
    hoist::exec_watcher('update', ['UPDATE'], ['update', $name], '10m',
      { 'success_transition' => 'updated', 'fail_transition' => 'update_failed' },
      { 'governor' => $spec['update_governor'] },
    ),
    hoist::exec_watcher('stop', ['STOP'], ['stop', $name], "${$spec['stop_timeout'] + 60}s",
      { 'interval' => '30s', 'success_transition' => 'stopped' },
    ),
  ]

  $kv_watchers = $spec['kv_update'] ? {
    true    => [{
        'name'               => 'tag',
        'type'               => 'kv',
        'state_match'        => ['RUN', 'RESTART'],
        'interval'           => $spec['kv_interval'],
        'success_transition' => 'update',
        'properties'         => {
          'bucket'        => $spec['kv_bucket'],
          'key'           => $spec['kv_key'],
          'mode'          => 'poll',
          'bucket_prefix' => false,
        },
    }],
    default => [],
  }

  $file_watchers = $spec['restart_files'].map |$index, $path| {
    {
      'name'               => "restart_file_${$index + 1}",
      'type'               => 'file',
      'state_match'        => ['RUN'],
      'success_transition' => 'restart',
      'properties'         => { 'path' => $path, 'gather_initial_state' => true },
    }
  }

  $machine = {
    'name'          => "hoist_${name}",
    'version'       => '1.0.0',
    'initial_state' => 'START',
    'transitions'   => $transitions,
    'watchers'      => $exec_watchers + $kv_watchers + $file_watchers,
  }
  $machine
}
