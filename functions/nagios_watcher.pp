# @summary A Choria nagios watcher that runs `hoist-cli ... --nagios`, which Choria Scout shows.
#
# Choria's `nagios` watcher (go-choria v0.30.2, `aagent/watchers/nagioswatcher/nagios.go`) runs
# its `plugin` every `interval` while the machine is in one of `state_match`, fires the event named
# after the plugin's exit code (`OK` 0, `WARNING` 1, `CRITICAL` 2, `UNKNOWN` 3 and any other code),
# and publishes the result (status, output, performance data, run time) as a CloudEvent of type
# `io.choria.machine.watcher.nagios.v1.state` on the subject `choria.machine.watcher.nagios.state`,
# which `choria scout watch` shows. A machine with a nagios watcher is a Scout check, which
# `choria scout status` lists.
#
# Unlike the exec watcher, the nagios watcher gives its plugin no `environment` setting and no
# `WATCHER_DATA`: the child gets only `MACHINE_WATCHER_NAME`, `MACHINE_NAME` and `PATH`. So the
# plugin is `/usr/bin/env` with the settings hoist-cli needs as `KEY=value` words, then hoist-cli:
# `DOCKER_HOST` and `HOIST_CLI_JAR`, and when set `HOIST_JAVA` (`java_path`), `HOIST_NATS_URL`
# (`kv_server`), `HOIST_CHORIA_CONFIG` (`kv_config`) and `HOIST_IDENTITY` (`identity`): `check`
# reads the machine data from `machine_data.json` in the machine folder, never the Key-Value store,
# but writes the node's status report into it when the report changed (or every 5 minutes). None
# of them is a secret: `Hoist::NatsUrls` admits no user info, and `kv_config` is a path (the
# credentials it names stay in that file). `registry_auth` is left out: `check` pulls nothing.
# Choria splits the plugin into words like a shell would and runs it
# without a shell, so each word must be free of blanks, quotes, backslashes and braces.
#
# @param cli
#   How to run hoist-cli, as class `hoist` holds it in `$hoist::cli` (see `hoist::exec_watcher`).
# @param name
#   The watcher name.
# @param states
#   The states in which the watcher runs (`state_match`).
# @param arguments
#   The hoist-cli arguments, e.g. `['check', '--nagios', 'weather']`.
# @param timeout
#   How long hoist-cli may run before Choria kills it (the check is then `UNKNOWN`).
# @param interval
#   How often the check runs while the machine is in one of `states`.
#
# @return [Hash] The watcher, ready for a machine's `watchers` list.
#
# @example The Scout check of the weather container
#   $cli = {
#     'cli_path'    => '/usr/local/bin/hoist-cli',
#     'jar_path'    => '/usr/local/lib/hoist/hoist-cli.jar',
#     'docker_host' => 'unix:///var/run/docker.sock',
#   }
#   hoist::nagios_watcher($cli, 'check', ['RUN'], ['check', '--nagios', 'weather'], '60s', '30s')
function hoist::nagios_watcher(
  Hash[String[1], Any] $cli,
  Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/] $name,
  Array[Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/], 1] $states,
  Array[Pattern[/\A[^\s'"\\{}]+\z/], 1] $arguments,
  Hoist::Duration $timeout,
  Hoist::Duration $interval,
) >> Hash {
  $settings = {
    'DOCKER_HOST'         => ['docker_host', $cli['docker_host']],
    'HOIST_CLI_JAR'       => ['jar_path', $cli['jar_path']],
    'HOIST_JAVA'          => ['java_path', $cli['java_path']],
    'HOIST_NATS_URL'      => ['kv_server', $cli['kv_server']],
    'HOIST_CHORIA_CONFIG' => ['kv_config', $cli['kv_config']],
    'HOIST_IDENTITY'      => ['identity', $cli['identity']],
  }.filter |$key, $setting| { $setting[1] =~ NotUndef }

  # Class hoist's Hoist::NatsUrls admits no user info; a direct caller's URL is held to the same.
  if $cli['kv_server'] =~ String and '@' in $cli['kv_server'] {
    fail('hoist: kv_server holds credentials, which never go on a command line: put them in the Choria configuration (kv_config)')
  }

  $environment = $settings.map |$key, $setting| {
    unless $setting[1] =~ Pattern[/\A[^\s'"\\{}]+\z/] {
      fail(@("MSG"/L)
        hoist: ${setting[0]} '${setting[1]}' cannot be passed to Choria's nagios watcher, which splits its command at \
        blanks and quotes: use a value without blanks, quotes, backslashes or braces
        |-MSG
      )
    }
    "${key}=${setting[1]}"
  }

  $watcher = {
    'name'        => $name,
    'type'        => 'nagios',
    'state_match' => $states,
    'interval'    => $interval,
    'properties'  => {
      'plugin'  => (['/usr/bin/env'] + $environment + [$cli['cli_path']] + $arguments).join(' '),
      'timeout' => $timeout,
    },
  }
  $watcher
}
