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
# 3. With `hoist::manage_cli`: the launcher `cli_path`, the jar `jar_path`, its class-data
#    archives (`.jsa` and `-commands.jsa`, with their `.jvm` stamps) and the jar's folder when it
#    is Hoist's own (named `hoist`, as the default `/usr/local/lib/hoist`).
# 4. The node's settings file (`settings_file`; its folder stays), and with `hoist::registry_auth`
#    set, the credentials file Puppet wrote (`registry_auth_file`).
#
# Applying it again changes nothing. The Java runtime is left installed.
#
# @api private
class hoist::remove {
  assert_private()

  $store = $hoist::machine_store
  # The node's settings as the settings file holds them, given to the purge explicitly: the file
  # may be missing (never written, or removed by an earlier run that failed later).
  $environment = epp('hoist/hoist-cli.conf.epp', $hoist::settings).split("\n").filter |$line| { $line =~ /\A[A-Z_]+=/ }
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
    # The launcher's class-data archives (files/hoist-cli): ${jar%.jar}.jsa for check and status,
    # ${jar%.jar}-commands.jsa for the other commands, each with its .jvm stamp.
    $base = regsubst($hoist::jar_path, '\.jar\z', '')
    $archives = ["${base}.jsa", "${base}.jsa.jvm", "${base}-commands.jsa", "${base}-commands.jsa.jvm"]
    file { [$hoist::cli_path, $hoist::jar_path] + $archives:
      ensure  => absent,
      require => Exec['hoist-cli purge --all'],
    }
    # The jar's folder goes with everything in it only when it is Hoist's own (the default
    # /usr/local/lib/hoist): a jar_path in a shared folder leaves that folder alone.
    $folder = dirname($hoist::jar_path)
    if basename($folder) == 'hoist' {
      file { $folder:
        ensure  => absent,
        force   => true,
        require => File[[$hoist::jar_path] + $archives],
      }
    }
  }

  file { $hoist::settings_file:
    ensure  => absent,
    require => Exec['hoist-cli purge --all'],
  }

  # Credentials Puppet wrote (hoist::registry_auth) go too; a file the operator provided stays.
  if $hoist::registry_auth =~ NotUndef {
    file { $hoist::registry_auth_file:
      ensure  => absent,
      require => Exec['hoist-cli purge --all'],
    }
  }
}
