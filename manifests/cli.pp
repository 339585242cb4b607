# @summary Writes the node's settings file and installs the hoist-cli launcher and jar that the machines' watchers run.
#
# The settings file (`hoist::settings_file`, root, 0644) holds the node's settings, `KEY=VALUE`
# lines rendered once from `templates/hoist-cli.conf.epp` (see `hoist::settings_file`); it is
# written with or without `hoist::manage_cli`. With `hoist::manage_cli`, the launcher (root, 0755)
# is the module's `files/hoist-cli` headed by the path of that file (`templates/hoist-cli.epp`),
# and the jar (root, 0644) is copied from `hoist::jar_source` into a folder of its own.
#
# @api private
class hoist::cli {
  assert_private()

  $folder = { 'ensure' => 'directory', 'owner' => 'root', 'group' => 'root', 'mode' => '0755' }

  ensure_resource('file', dirname($hoist::settings_file), $folder)
  file { $hoist::settings_file:
    ensure  => file,
    owner   => 'root',
    group   => 'root',
    mode    => '0644',
    content => epp('hoist/hoist-cli.conf.epp', $hoist::settings),
    require => File[dirname($hoist::settings_file)],
  }

  if $hoist::manage_cli {
    file { $hoist::cli_path:
      ensure  => file,
      owner   => 'root',
      group   => 'root',
      mode    => '0755',
      content => epp('hoist/hoist-cli.epp', { 'settings_file' => $hoist::settings_file }),
    }

    ensure_resource('file', dirname($hoist::jar_path), $folder)
    file { $hoist::jar_path:
      ensure  => file,
      owner   => 'root',
      group   => 'root',
      mode    => '0644',
      source  => $hoist::jar_source,
      require => File[dirname($hoist::jar_path)],
    }
  }
}
