# @summary A Choria exec watcher that runs hoist-cli.
#
# Every exec watcher of Hoist's machines comes from here, so that each one calls hoist-cli by its
# absolute path, with an explicit timeout (Choria's default is 1s, too short for a JVM) and with
# the environment hoist-cli needs: Choria starts the command with no environment beyond its own
# few variables. That is `DOCKER_HOST` and `HOIST_CLI_JAR`, plus, when they are set, `HOIST_JAVA`
# (`java_path`), `HOIST_NATS_URL` (`kv_server`), `HOIST_CHORIA_CONFIG` (`kv_config`) and
# `HOIST_REGISTRY_AUTH` (`registry_auth`, the registry credentials file) and `HOIST_IDENTITY`
# (`identity`, the node's name in the status bucket), in that order.
#
# Choria splits the command into words like a shell would and runs it without a shell; the
# arguments are typed so that each one stays a single word and holds no template braces.
#
# @param cli
#   How to run hoist-cli, as class `hoist` holds it in `$hoist::cli`: its parameters `cli_path`,
#   `jar_path`, `docker_host`, and `java_path`, `kv_server`, `kv_config`, `registry_auth`, `identity`
#   when set (a missing or undef key adds nothing to the environment).
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
#   $cli = {
#     'cli_path'    => '/usr/local/bin/hoist-cli',
#     'jar_path'    => '/usr/local/lib/hoist/hoist-cli.jar',
#     'docker_host' => 'unix:///var/run/docker.sock',
#   }
#   hoist::exec_watcher($cli, 'check', ['RUN'], ['check', 'weather'], '60s', { 'interval' => '30s', 'fail_transition' => 'remediate' })
function hoist::exec_watcher(
  Struct[{
      cli_path                => Hoist::CommandPath,
      jar_path                => Stdlib::Unixpath,
      docker_host             => Hoist::DockerHost,
      Optional[java_path]     => Optional[Stdlib::Unixpath],
      Optional[kv_server]     => Optional[Hoist::NatsUrls],
      Optional[kv_config]     => Optional[Stdlib::Absolutepath],
      Optional[registry_auth] => Optional[Stdlib::Absolutepath],
      Optional[identity]      => Optional[Pattern[/\A[-_=.\/a-zA-Z0-9]+\z/]],
  }] $cli,
  Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/] $name,
  Array[Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/], 1] $states,
  Array[Pattern[/\A[^\s'"\\{}]+\z/], 1] $arguments,
  Hoist::Duration $timeout,
  Hash[String[1], Any] $watcher = {},
  Hash[String[1], Any] $properties = {},
) >> Hash {
  # Each optional setting becomes one `KEY=value` entry when it is set.
  $optional = {
    'HOIST_JAVA'          => $cli['java_path'],
    'HOIST_NATS_URL'      => $cli['kv_server'],
    'HOIST_CHORIA_CONFIG' => $cli['kv_config'],
    'HOIST_REGISTRY_AUTH' => $cli['registry_auth'],
    'HOIST_IDENTITY'      => $cli['identity'],
  }.filter |$key, $value| { $value =~ NotUndef }.map |$key, $value| { "${key}=${value}" }

  $watcher_base = {
    'name'        => $name,
    'type'        => 'exec',
    'state_match' => $states,
  }
  $watcher_base + delete_undef_values($watcher) + {
    'properties' => {
      'command'              => ([$cli['cli_path']] + $arguments).join(' '),
      'timeout'              => $timeout,
      'environment'          => ["DOCKER_HOST=${cli['docker_host']}", "HOIST_CLI_JAR=${cli['jar_path']}"] + $optional,
    } + delete_undef_values($properties),
  }
}
