# @summary A Choria Autonomous Agent: its folder in the machine store and its `machine.yaml`.
#
# Like `choria::machine` in puppet-choria: the title is the machine's name, and
# `STORE/TITLE/machine.yaml` holds the machine as Choria reads it (`name`, `version`,
# `initial_state`, `transitions`, `watchers`), serialised with `hoist::to_yaml`. The files the machine's
# commands read (`files`) are written beside it first, so that a new machine never runs without
# them. Choria loads the machine at its next scan of the store, and reloads it only when
# `machine.yaml` changes.
#
# `ensure => absent` removes the folder with everything in it, Choria's `machine_data.json` and
# hoist-cli's state included; that stops the machine at Choria's next scan.
#
# Owner and group are root. The folder is 0755 and `machine.yaml` 0644; a file in `files` is 0600
# when its content is Sensitive (it may hold secrets) and 0644 otherwise.
#
# `hoist::container` and `hoist::purge` declare these; it is not meant to be declared elsewhere:
# `hoist-cli purge` removes every `hoist_*` machine it does not manage.
#
# @api private
#
# @param ensure
#   `present`, or `absent` to remove the folder.
# @param initial_state
#   The state the machine starts in. Required unless `ensure` is `absent`.
# @param transitions
#   The machine's transitions: `name`, `from`, `destination` and `description`. At least one unless
#   `ensure` is `absent`.
# @param watchers
#   The machine's watchers, as Choria's machine schema describes them. At least one unless
#   `ensure` is `absent`.
# @param version
#   The machine's version, `MAJOR.MINOR.PATCH`.
# @param files
#   Files to write into the folder before `machine.yaml`, by name: `{NAME => CONTENT}`.
# @param store
#   The machine store the folder is in.
#
# @example The purge machine's folder, with its list of managed containers
#   hoist::machine { 'hoist_purge':
#     initial_state => 'RUN',
#     transitions   => [{ 'name' => 'maintenance', 'from' => ['RUN'], 'destination' => 'MAINTENANCE' }],
#     watchers      => [hoist::exec_watcher($hoist::cli_path, 'purge', ['RUN'], ['purge'], '10m', { 'interval' => '1m' })],
#     files         => { 'managed.json' => hoist::to_json_pretty({ 'containers' => ['weather'] }) },
#   }
define hoist::machine (
  Enum['present', 'absent'] $ensure = 'present',
  Optional[Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/]] $initial_state = undef,
  Array[Struct[{
        name                  => Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/],
        from                  => Array[Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/], 1],
        destination           => Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/],
        Optional[description] => String,
  }]] $transitions = [],
  Array[Hash[String[1], Any]] $watchers = [],
  Pattern[/\A\d+\.\d+\.\d+\z/] $version = '1.0.0',
  Hash[Pattern[/\A[a-zA-Z0-9][a-zA-Z0-9_.-]*\z/], Variant[String, Sensitive[String]]] $files = {},
  Stdlib::Absolutepath $store = $hoist::machine_store,
) {
  unless $title =~ Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]+\z/] {
    fail(@("MSG"/L))
      Hoist::Machine[${title}]: '${title}' is not a Choria machine name: a name is a letter followed by \
      at least one more letter, digit, _ or -
      | MSG
  }

  $folder = "${store}/${title}"

  if $ensure == 'absent' {
    file { $folder:
      ensure  => absent,
      recurse => true,
      force   => true,
    }
  } else {
    if $initial_state =~ Undef or $transitions.empty or $watchers.empty {
      fail("Hoist::Machine[${title}]: initial_state, transitions and watchers are required (at least one of each) unless ensure is absent")
    }
    $reserved = $files.keys.filter |$name| { $name in ['machine.yaml', 'machine_data.json'] }
    unless $reserved.empty {
      fail("Hoist::Machine[${title}]: files may not hold ${reserved.join(' or ')}, which are the machine's and Choria's")
    }

    file { $folder:
      ensure => directory,
      owner  => 'root',
      group  => 'root',
      mode   => '0755',
    }

    $files.each |$name, $content| {
      $mode = $content ? {
        Sensitive => '0600',
        default   => '0644',
      }
      file { "${folder}/${name}":
        ensure  => file,
        owner   => 'root',
        group   => 'root',
        mode    => $mode,
        content => $content,
      }
    }

    $machine = {
      'name'          => $title,
      'version'       => $version,
      'initial_state' => $initial_state,
      'transitions'   => $transitions,
      'watchers'      => $watchers,
    }

    file { "${folder}/machine.yaml":
      ensure  => file,
      owner   => 'root',
      group   => 'root',
      mode    => '0644',
      content => hoist::to_yaml($machine),
      require => $files.keys.map |$name| { File["${folder}/${name}"] },
    }
  }
}
