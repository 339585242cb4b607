# @summary Removes Hoist from the node (`hoist::ensure: absent`): machines, containers, hoist-cli.
#
# One run, in this order:
#
# 1. `hoist-cli purge --all --store MACHINE_STORE`, when the store holds a Hoist machine folder
#    (`hoist_NAME` with a `container.json`, or `hoist_purge`): it removes every Hoist machine's
#    `machine.yaml` (the purge machine's first), so that Choria stops the machines at its next
#    scan; waits `--stop-wait` (30 s); then removes every machine folder and stops and removes every
#    container with Hoist's labels, as `hoist::purge` does one container at a time.
# 2. The `hoist_purge` folder, if still there.
# 3. With `hoist::manage_cli`: the launcher `cli_path`, the jar `jar_path`, its class-data-sharing
#    archive (the jar's path with `.jsa`) and the jar's folder.
#
# Applying it again changes nothing. The Java runtime is left installed.
#
# @api private
class hoist::remove {
  assert_private()

  $store = $hoist::machine_store
  $environment = hoist::exec_watcher($hoist::cli, 'remove', ['RUN'], ['purge'], '1m')['properties']['environment']
  # A Hoist machine folder is left: the store's type (Hoist::CommandPath) admits no character the shell would read.
  $left = "/bin/sh -c 'for f in ${store}/hoist_*/container.json ${store}/hoist_purge; do [ -e \"\$f\" ] && exit 0; done; exit 1'"

  exec { 'hoist-cli purge --all':
    command     => [$hoist::cli_path, 'purge', '--all', '--store', $store],
    environment => $environment,
    onlyif      => $left,
    timeout     => 600,
    logoutput   => true,
  }

  hoist::machine { 'hoist_purge':
    ensure  => absent,
    require => Exec['hoist-cli purge --all'],
  }

  if $hoist::manage_cli {
    # The launcher's default archive: ${jar%.jar}.jsa.
    $archive = "${regsubst($hoist::jar_path, '\.jar\z', '')}.jsa"
    file { [$hoist::cli_path, $hoist::jar_path, $archive]:
      ensure  => absent,
      require => Exec['hoist-cli purge --all'],
    }
    file { dirname($hoist::jar_path):
      ensure  => absent,
      force   => true,
      require => File[$hoist::jar_path, $archive],
    }
  }
}
