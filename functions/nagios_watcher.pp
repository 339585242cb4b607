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
# The nagios watcher gives its plugin no `environment` setting and no `WATCHER_DATA`: the child
# gets only `MACHINE_WATCHER_NAME`, `MACHINE_NAME` and `PATH`. Nor does hoist-cli need more: the
# plugin is the launcher by its absolute path, which reads the node's settings from the node's
# settings file (`hoist::settings_file`), as the exec watchers' does; `check` reads the machine data
# from `machine_data.json` in the machine folder, never the Key-Value store, but writes the node's
# status report into it when the report changed (or every 5 minutes). Choria splits the plugin into
# words like a shell would and runs it without a shell, so each word must be free of blanks,
# quotes, backslashes and braces (the types see to it).
#
# @param cli_path
#   The hoist-cli launcher, by its absolute path (class `hoist`'s `cli_path`).
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
#   hoist::nagios_watcher('/usr/local/bin/hoist-cli', 'check', ['RUN'], ['check', '--nagios', 'weather'], '60s', '30s')
function hoist::nagios_watcher(
  Hoist::CommandPath $cli_path,
  Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/] $name,
  Array[Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/], 1] $states,
  Array[Pattern[/\A[^\s'"\\{}]+\z/], 1] $arguments,
  Hoist::Duration $timeout,
  Hoist::Duration $interval,
) >> Hash {
  $watcher = {
    'name'        => $name,
    'type'        => 'nagios',
    'state_match' => $states,
    'interval'    => $interval,
    'properties'  => {
      'plugin'  => ([$cli_path] + $arguments).join(' '),
      'timeout' => $timeout,
    },
  }
  $watcher
}
