# @summary Writes the `hoist_purge` machine and the list of containers Hoist manages.
#
# With `hoist::purge` true, `MACHINE_STORE/hoist_purge/` holds `managed.json`
# (`{"containers": [NAMES]}`, the containers whose `ensure` is `present`) and a machine that runs
# `hoist-cli purge --store MACHINE_STORE` every `hoist::purge_interval`; hoist-cli removes the
# `hoist_*` machine folders and the Hoist-labelled containers whose names are not in the list.
# With `hoist::purge` false, the folder is removed.
#
# @api private
class hoist::purge {
  assert_private()

  $folder = "${hoist::machine_store}/hoist_purge"

  if $hoist::purge {
    $managed = $hoist::containers.filter |$name, $container| {
      $container['ensure'] != 'absent'
    }.keys.sort

    $machine = {
      'name'          => 'hoist_purge',
      'version'       => '1.0.0',
      'initial_state' => 'RUN',
      'transitions'   => [
        {
          'name'        => 'maintenance',
          'from'        => ['RUN'],
          'destination' => 'MAINTENANCE',
          'description' => 'Pause purging',
        },
        {
          'name'        => 'resume',
          'from'        => ['MAINTENANCE'],
          'destination' => 'RUN',
          'description' => 'Purge again',
        },
      ],
      'watchers'      => [
        hoist::exec_watcher('purge', ['RUN'], ['purge', '--store', $hoist::machine_store], '10m',
          { 'interval' => $hoist::purge_interval },
          { 'suppress_success_announce' => true },
        ),
      ],
    }

    file { $folder:
      ensure => directory,
      owner  => 'root',
      group  => 'root',
      mode   => '0755',
    }

    file { "${folder}/managed.json":
      ensure  => file,
      owner   => 'root',
      group   => 'root',
      mode    => '0644',
      content => to_json_pretty({ 'containers' => $managed }),
    }

    file { "${folder}/machine.yaml":
      ensure  => file,
      owner   => 'root',
      group   => 'root',
      mode    => '0644',
      content => to_yaml($machine),
      require => File["${folder}/managed.json"],
    }
  } else {
    file { $folder:
      ensure  => absent,
      recurse => true,
      force   => true,
    }
  }
}
