# @summary The Choria machine `hoist_NAME` that runs one container: its states, transitions and watchers.
#
# The machine is built from the container's resolved spec (the content of `container.json`), so
# the two cannot disagree. It holds no environment values: those stay in `container.json`.
#
# States:
#
# * `START`: the initial state, whenever Choria (re)loads the machine. Choria runs no watcher on
#   entering the initial state, so `initial_check` runs `hoist-cli check` after 2s: a healthy
#   container goes straight to `RUN` (`healthy`) without a restart, anything else to `REMEDIATE`
#   (`remediate`).
# * `RUN`: the container should be running. The `check` watcher, a Choria `nagios` watcher
#   (`hoist::nagios_watcher`), runs `hoist-cli check --nagios` every `check_interval` and fires the
#   event named after its result: `CRITICAL` (the check failed) remediates, `WARNING` (the check
#   passed, but Docker restarted the container within the last `check_interval`) enters
#   `DEGRADED`, `OK` keeps `RUN` (with a `check_interval` of 90s or more, the default 2m included,
#   as the transition `OK` from `RUN` to `RUN`, which logs nothing; below that Choria logs at every
#   passing check that it could not fire `OK` in `RUN`, since a `RUN` to `RUN` transition at every
#   check would keep the machine in Choria's transition rate limit: docs/logs.md), and
#   `UNKNOWN` (the check could not be made: Docker unreachable, a bad spec, a timeout) keeps the
#   state, since remediation could not see more than the check did. The `tag` KV watcher (with
#   `kv_update`) fires `update` when the desired tag changes, and each `restart_files` watcher
#   fires `restart` when its file changes. Each `register_ports` entry's gossip watcher publishes
#   its registration (below).
# * `DEGRADED`: running and passing the check, but Docker restarted it lately; the watchers of
#   `RUN` all run here too, and nothing is remediated. The next `OK` goes back to `RUN`, a
#   `CRITICAL` remediates.
# * `REMEDIATE`: `hoist-cli start --if-needed` converges, retried every 30s until it succeeds
#   (`started`): it does nothing when the container already passes the check, else replaces it
#   with a health-gated start. The `tag` KV watcher stays active here, so a corrected tag reaches
#   a start that keeps failing. The `check` watcher keeps reporting here (its events change
#   nothing), so that Scout and the metrics show a container that stays down as `CRITICAL`.
# * `FORCE_CHECK`: the check runs at once (Choria's nagios watcher checks on entering a state
#   named `FORCE_CHECK`, and otherwise only every `interval`), and its result leaves the state:
#   `OK` (or `UNKNOWN`) to `RUN`, `WARNING` to `DEGRADED`, `CRITICAL` to `REMEDIATE`. Entered by
#   `choria scout trigger`, and after `UPDATE` and `MAINTENANCE`, which went straight to `RUN`
#   when the check was an exec watcher (which ran on entering `RUN`).
# * `RESTART`: the operator's restart: `hoist-cli restart` always replaces the container, retried
#   every 30s until it succeeds (`started`).
# * `UPDATE`: `hoist-cli update` pulls the desired image; success fires `updated`, failure
#   `update_failed`, both to `FORCE_CHECK`, whose check fails for a container that runs another
#   image, so `REMEDIATE` replaces it.
# * `STOP`: `hoist-cli stop` stops the container, retried every 30s; success fires `stopped`.
# * `MAINTENANCE`: nothing runs until the operator fires `resume` (or `stop`).
#
# Transitions:
#
# * `remediate` (`START`, `RUN`, `DEGRADED` to `REMEDIATE`): the first check failed (or the
#   operator's).
# * `restart` (`RUN`, `DEGRADED` to `RESTART`): the operator's restart, or a `restart_files` change.
# * `update` (`RUN`, `DEGRADED`, `REMEDIATE` to `UPDATE`): the desired tag changed in the KV, or the
#   operator asks for a pull.
# * `stop` (every state but `STOP` to `STOP`) and `maintenance` (`START`, `RUN`, `DEGRADED`,
#   `REMEDIATE`, `RESTART`, `UPDATE`, `FORCE_CHECK` to `MAINTENANCE`): the operator's.
# * `resume` (`MAINTENANCE` to `FORCE_CHECK`): the operator's.
# * `healthy` (`START` to `RUN`), `started` (`REMEDIATE`, `RESTART` to `RUN`), `updated` and
#   `update_failed` (`UPDATE` to `FORCE_CHECK`), `stopped` (`STOP` to `MAINTENANCE`): the commands'
#   results.
# * `OK` (`DEGRADED`, `FORCE_CHECK`, and `RUN` when `check_interval` is 90s or more, to
#   `RUN`), `WARNING` (`RUN`, `FORCE_CHECK` to `DEGRADED`), `CRITICAL` (`RUN`, `DEGRADED`,
#   `FORCE_CHECK` to `REMEDIATE`), `UNKNOWN` (`FORCE_CHECK` to `RUN`): the check's results.
# * `FORCE_CHECK` (`RUN`, `DEGRADED` to `FORCE_CHECK`), `MAINTENANCE` (as `maintenance`) and
#   `RESUME` (as `resume`):
#   the transitions `choria scout trigger`, `choria scout maintenance` and `choria scout resume`
#   fire (go-choria v0.30.2 `scout/agent/scout`): each acts on every Scout check that has it.
#
# Starts are health-gated: hoist-cli stops the old container (up to `stop_timeout` seconds), then
# waits up to `start_timeout` for the new one to be running and healthy for `min_healthy_time`.
# The `remediate` and `restart` watchers' timeout covers that, so Choria never kills a start that
# is still allowed to succeed (and a `restart_governor` slot, which both wait for, is held until
# the node serves again): in seconds, `max(300, start_timeout + min_healthy_time + stop_timeout +
# 120)`; the 120s leave room for the pull, the JVM and Docker.
#
# Fleet memory (with `kv_update`): when a tag from the KV never becomes healthy, `hoist-cli start`
# rolls the node back to its last good image and writes the tag into the fleet's failure marker,
# the KV key `hoist::kv_failed_key` names beside the tag's. The `failed_tag` KV watcher keeps that
# marker in the machine data (in `START`, `RUN`, `DEGRADED` and `REMEDIATE`; it fires no transition), so that
# `hoist-cli check` knows the tag failed, as `hoist-cli start` does when it can read the KV itself
# (class `hoist`'s `kv_config` or `kv_server`).
#
# Digest-following updates (`image_poll`): the exec watcher `image_poll`, active in `RUN` and `DEGRADED`,
# runs `hoist-cli poll` every `image_poll`. It asks the registry for the digest the desired tag
# points to (a HEAD request for the manifest) and pulls a new one once this node first saw it
# `min_image_age` ago; its exit 1 (the container does not run the tag's local image) fires
# `remediate`, whose health-gated start waits for `restart_governor`, so a fleet rolls one slot at
# a time. A registry that cannot be asked is a warning and exit 0: no transition.
#
# Rollouts (with `kv_update`): `hoist-cli rollout start` keeps a rollout (JSON) beside the tag, at
# the tag key with `_rollout` appended. The `rollout` KV watcher keeps it in the machine data (in
# `RUN`, `DEGRADED` and `REMEDIATE`) and fires `update` when it changes, so that a node asks for a canary slot
# (`hoist-cli update`), and a promotion, pause, resume or abort reaches `check` within `kv_interval`.
#
# Service registration (`register_ports`): one Choria `gossip` watcher per entry,
# `register_port_N`, active in `RUN` and `DEGRADED` only, so that a node advertises a port only
# while its container has passed the check. Its `registration` property is the entry (`cluster`, `service`,
# `protocol`, `ip`, `port`, `priority`, `annotations`); the watcher's `interval` is the entry's.
# Choria (go-choria v0.30.2, `aagent/watchers/gossipwatcher/gossip.go`) publishes the registration
# as JSON (with `ip` named `address`) to `$KV.CHORIA_SERVICES.CLUSTER.PROTOCOL.SERVICE.INSTANCE`,
# INSTANCE being the machine's instance id, which is new each time Choria (re)loads the machine:
# that is the key `CLUSTER.PROTOCOL.SERVICE.INSTANCE` of the Key-Value bucket `CHORIA_SERVICES`, at
# once on entering `RUN` and then every `interval`. On leaving `RUN` and `DEGRADED` it stops publishing; it
# deletes nothing: hoist-cli does (issue 27). Before `start`, `restart`, the remediation or `stop`
# replaces or stops a running container, it deletes the node's entries (listed in
# `registrations.json`) and waits `drain_time`; a dead container's are deleted without waiting.
# Entering `MAINTENANCE` runs the `drain` exec watcher, `hoist-cli drain --no-wait`. Otherwise the
# bucket's TTL is what removes an entry no longer published. The machine schema predates the
# gossip watcher; `harness/tools/validate-machine.py` checks it against a definition written from that
# source.
#
# @param cli_path
#   The hoist-cli launcher every exec and nagios watcher runs, by its absolute path (class `hoist`'s
#   `cli_path`). The watchers carry no environment: the launcher reads the node's settings from
#   the node's settings file (`hoist::settings_file`).
# @param spec
#   The resolved container spec: `container.json`'s keys with every default of
#   `hoist::container_defaults` filled in, `start_timeout` and `min_healthy_time` included (which
#   `hoist::container` writes to `container.json` only when they are set).
# @param registrations
#   The resolved `register_ports` entries, as `hoist::container` fills them in: `cluster`,
#   `service`, `protocol`, `ip`, `port`, `priority`, `annotations` (only when not empty) and
#   `interval`. They are not part of the spec: hoist-cli does not know them.
#
# @return [Hash] The machine's `initial_state`, `transitions` and `watchers`, the parameters of
#   `hoist::machine`, which names the machine and writes `machine.yaml`.
#
# @example
#   hoist::machine { 'hoist_weather':
#     *     => hoist::container_machine($hoist::cli_path, $spec, $registrations),
#     files => { 'container.json' => Sensitive(hoist::to_json_pretty($written)) },
#   }
function hoist::container_machine(
  Hoist::CommandPath $cli_path,
  Hash[String[1], Any] $spec,
  Array[Hash[String[1], Any]] $registrations = [],
) >> Hash {
  $name = $spec['name']

  # The states the operator may pause or stop from.
  $active = ['START', 'RUN', 'DEGRADED', 'REMEDIATE', 'RESTART', 'UPDATE', 'FORCE_CHECK']

  # Where the check's OK is a transition. From a check_interval of 90s, also RUN to RUN, so that
  # a passing check logs nothing (Choria warns of every event the state has no transition for).
  # Not below: every transition counts against Choria's rate limit, which forgets only after a
  # minute without one, and each counted transition waits longer (up to 5 s, jittered to 7.5 s),
  # the machine locked meanwhile. Checks every 90 s or more leave that minute (unless one check
  # takes 30 s longer than the next); at 1m they race it and, in time, every transition of
  # the machine (a CRITICAL's too) waits seconds. The CHANGELOG has the figures (issue 26).
  $ok_from = hoist::seconds($spec['check_interval']) >= 90 ? {
    true    => ['RUN', 'DEGRADED', 'FORCE_CHECK'],
    default => ['DEGRADED', 'FORCE_CHECK'],
  }

  $transitions = [
    ['remediate', ['START', 'RUN', 'DEGRADED'], 'REMEDIATE', 'The check failed: converge, replacing the container only when needed'],
    ['restart', ['RUN', 'DEGRADED'], 'RESTART', 'Replace the container with a new one from the current spec'],
    ['update', ['RUN', 'DEGRADED', 'REMEDIATE'], 'UPDATE', 'Pull the desired image; the check then has the container replaced'],
    ['stop', $active[0, 6] + ['MAINTENANCE', 'FORCE_CHECK'], 'STOP', 'Stop the container, then enter maintenance'],
    ['maintenance', $active, 'MAINTENANCE', 'Pause health checks and remediation'],
    ['resume', ['MAINTENANCE'], 'FORCE_CHECK', 'Leave maintenance: check and remediate again'],
    ['healthy', ['START'], 'RUN', 'The container already runs as specified'],
    ['started', ['REMEDIATE', 'RESTART'], 'RUN', 'The container runs as specified and is healthy'],
    ['updated', ['UPDATE'], 'FORCE_CHECK', 'The desired image is present'],
    ['update_failed', ['UPDATE'], 'FORCE_CHECK', 'The desired image could not be pulled; keep the running container'],
    ['stopped', ['STOP'], 'MAINTENANCE', 'The container is stopped'],
    ['OK', $ok_from, 'RUN', 'The check passed'],
    ['WARNING', ['RUN', 'FORCE_CHECK'], 'DEGRADED',
    'The check passed, but Docker restarted the container within the last check interval'],
    ['CRITICAL', ['RUN', 'DEGRADED', 'FORCE_CHECK'], 'REMEDIATE',
    'The check failed: converge, replacing the container only when needed'],
    ['UNKNOWN', ['FORCE_CHECK'], 'RUN', 'The check could not be made; a forced check goes back to RUN'],
    ['FORCE_CHECK', ['RUN', 'DEGRADED'], 'FORCE_CHECK', 'Check now (choria scout trigger)'],
    ['MAINTENANCE', $active, 'MAINTENANCE', 'Pause health checks and remediation (choria scout maintenance)'],
    ['RESUME', ['MAINTENANCE'], 'FORCE_CHECK', 'Leave maintenance (choria scout resume)'],
  ].map |$t| {
    { 'name' => $t[0], 'from' => $t[1], 'destination' => $t[2], 'description' => $t[3] }
  }

  $replace_timeout = max(300,
    hoist::seconds($spec['start_timeout']) +
    hoist::seconds($spec['min_healthy_time']) +
    $spec['stop_timeout'] + 120
  )

  $watchers = [
    hoist::exec_watcher($cli_path, 'initial_check', ['START'], ['check', $name], '60s',
      { 'interval' => '2s', 'success_transition' => 'healthy', 'fail_transition' => 'remediate' },
    ),
    hoist::nagios_watcher($cli_path, 'check', ['RUN', 'DEGRADED', 'REMEDIATE', 'FORCE_CHECK'],
      ['check', '--nagios', $name], '60s', $spec['check_interval'],
    ),
    hoist::exec_watcher($cli_path, 'remediate', ['REMEDIATE'], ['start', '--if-needed', $name], "${replace_timeout}s",
      { 'interval' => '30s', 'success_transition' => 'started' },
      { 'governor' => $spec['restart_governor'] },
    ),
    hoist::exec_watcher($cli_path, 'restart', ['RESTART'], ['restart', $name], "${replace_timeout}s",
      { 'interval' => '30s', 'success_transition' => 'started' },
      { 'governor' => $spec['restart_governor'] },
    ),
    hoist::exec_watcher($cli_path, 'update', ['UPDATE'], ['update', $name], '10m',
      { 'success_transition' => 'updated', 'fail_transition' => 'update_failed' },
      { 'governor' => $spec['update_governor'] },
    ),
    hoist::exec_watcher($cli_path, 'stop', ['STOP'], ['stop', $name], "${$spec['stop_timeout'] + 60}s",
      { 'interval' => '30s', 'success_transition' => 'stopped' },
    ),
  ]

  $poll_watchers = $spec['image_poll'] ? {
    undef   => [],
    default => [
      hoist::exec_watcher($cli_path, 'image_poll', ['RUN', 'DEGRADED'], ['poll', $name], '10m',
        { 'interval' => $spec['image_poll'], 'fail_transition' => 'remediate' },
        { 'suppress_success_announce' => true },
      ),
    ],
  }

  # Both KV watchers store their value under the key itself (bucket_prefix false), where
  # hoist-cli looks for it in the machine data.
  $kv_watchers = $spec['kv_update'] ? {
    true    => [
      {
        'name'               => 'tag',
        'type'               => 'kv',
        'state_match'        => ['RUN', 'DEGRADED', 'REMEDIATE'],
        'interval'           => $spec['kv_interval'],
        'success_transition' => 'update',
        'properties'         => {
          'bucket'        => $spec['kv_bucket'],
          'key'           => $spec['kv_key'],
          'mode'          => 'poll',
          'bucket_prefix' => false,
        },
      },
      {
        'name'        => 'failed_tag',
        'type'        => 'kv',
        'state_match' => ['START', 'RUN', 'DEGRADED', 'REMEDIATE'],
        'interval'    => $spec['kv_interval'],
        'properties'  => {
          'bucket'        => $spec['kv_bucket'],
          'key'           => hoist::kv_failed_key($spec['kv_key']),
          'mode'          => 'poll',
          'bucket_prefix' => false,
        },
      },
      {
        'name'               => 'rollout',
        'type'               => 'kv',
        'state_match'        => ['RUN', 'DEGRADED', 'REMEDIATE'],
        'interval'           => $spec['kv_interval'],
        'success_transition' => 'update',
        'properties'         => {
          'bucket'        => $spec['kv_bucket'],
          'key'           => "${spec['kv_key']}_rollout",
          'mode'          => 'poll',
          'bucket_prefix' => false,
        },
      },
    ],
    default => [],
  }

  $file_watchers = $spec['restart_files'].map |$index, $path| {
    {
      'name'               => "restart_file_${$index + 1}",
      'type'               => 'file',
      'state_match'        => ['RUN', 'DEGRADED'],
      'success_transition' => 'restart',
      'properties'         => { 'path' => $path, 'gather_initial_state' => true },
    }
  }

  # Maintenance withdraws the node's registrations at once (the container keeps running); the
  # gossip watchers publish them again when the machine is back in RUN. Only with registrations:
  # a container without them has the machine it always had.
  $drain_watchers = $registrations.empty ? {
    true    => [],
    default => [
      hoist::exec_watcher($cli_path, 'drain', ['MAINTENANCE'], ['drain', '--no-wait', $name], '1m', {}),
    ],
  }

  $gossip_watchers = $registrations.map |$index, $entry| {
    {
      'name'        => "register_port_${$index + 1}",
      'type'        => 'gossip',
      'state_match' => ['RUN', 'DEGRADED'],
      'interval'    => $entry['interval'],
      'properties'  => { 'registration' => $entry - 'interval' },
    }
  }

  $machine = {
    'initial_state' => 'START',
    'transitions'   => $transitions,
    'watchers'      => $watchers + $poll_watchers + $kv_watchers + $file_watchers + $drain_watchers + $gossip_watchers,
  }
  $machine
}
