# @summary Writes the `hoist_purge` machine and the list of containers Hoist manages.
#
# With `hoist::purge` true, the `hoist::machine` `hoist_purge` holds `managed.json`
# (`{"containers": [NAMES]}`, the containers whose `ensure` is `present`) and a machine that runs
# `hoist-cli purge --store MACHINE_STORE` every `hoist::purge_interval`; hoist-cli removes the
# `hoist_*` machine folders and the Hoist-labelled containers whose names are not in the list.
# With `hoist::purge` false, the machine's folder is removed.
#
# @api private
class hoist::purge {
  assert_private()

  if $hoist::purge {
    $managed = $hoist::containers.filter |$name, $container| {
      $container['ensure'] != 'absent'
    }.keys.sort

    hoist::machine { 'hoist_purge':
      initial_state => 'RUN',
      transitions   => [
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
      watchers      => [
        hoist::exec_watcher($hoist::cli_path, 'purge', ['RUN'], ['purge', '--store', $hoist::machine_store], '10m',
          { 'interval' => $hoist::purge_interval },
          { 'suppress_success_announce' => true },
        ),
      ],
      files         => { 'managed.json' => hoist::to_json_pretty({ 'containers' => $managed }) },
    }
  } else {
    hoist::machine { 'hoist_purge':
      ensure => absent,
    }
  }
}
