# @summary A Choria exec watcher that runs hoist-cli.
#
# Every exec watcher of Hoist's machines comes from here, so that each one calls hoist-cli by its
# absolute path and with an explicit timeout (Choria's default is 1s, too short for a JVM). It
# sets no `environment`: Choria starts the command with only its own few variables, and the
# launcher reads the node's settings (`DOCKER_HOST`, the jar, Java, the KV broker, the registry
# credentials file, the identity) from the node's settings file (`hoist::settings_file`), so that a
# changed setting rewrites that file and reloads no machine.
#
# Choria splits the command into words like a shell would and runs it without a shell; the
# arguments are typed so that each one stays a single word and holds no template braces.
#
# @param cli_path
#   The hoist-cli launcher, by its absolute path (class `hoist`'s `cli_path`).
# @param name
#   The watcher name.
# @param states
#   The states in which the watcher runs (`state_match`).
# @param arguments
#   The hoist-cli arguments, e.g. `['check', 'weather']`.
# @param timeout
#   How long hoist-cli may run before Choria kills it and fires the fail transition.
# @param watcher
#   More watcher keys, e.g. `interval`, `success_transition`, `fail_transition`. Undef values are left out.
# @param properties
#   More exec properties, e.g. `governor`, `suppress_success_announce`. Undef values are left out.
#
# @return [Hash] The watcher, ready for a machine's `watchers` list.
#
# @example The health check of the weather container
#   hoist::exec_watcher('/usr/local/bin/hoist-cli', 'check', ['RUN'], ['check', 'weather'], '60s',
#     { 'interval' => '30s', 'fail_transition' => 'remediate' })
function hoist::exec_watcher(
  Hoist::CommandPath $cli_path,
  Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/] $name,
  Array[Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/], 1] $states,
  Array[Pattern[/\A[^\s'"\\{}]+\z/], 1] $arguments,
  Hoist::Duration $timeout,
  Hash[String[1], Any] $watcher = {},
  Hash[String[1], Any] $properties = {},
) >> Hash {
  $watcher_base = {
    'name'        => $name,
    'type'        => 'exec',
    'state_match' => $states,
  }
  $watcher_base + delete_undef_values($watcher) + {
    'properties' => {
      'command' => ([$cli_path] + $arguments).join(' '),
      'timeout' => $timeout,
    } + delete_undef_values($properties),
  }
}
