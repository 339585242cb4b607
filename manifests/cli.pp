# @summary Installs the hoist-cli launcher and jar that the machines' exec watchers run.
#
# Does nothing when `hoist::manage_cli` is false.
#
# @api private
class hoist::cli {
  assert_private()

  if $hoist::manage_cli {
    file { $hoist::cli_path:
      ensure => file,
      owner  => 'root',
      group  => 'root',
      mode   => '0755',
      source => 'puppet:///modules/hoist/hoist-cli',
    }

    file { dirname($hoist::jar_path):
      ensure => directory,
      owner  => 'root',
      group  => 'root',
      mode   => '0755',
    }

    file { $hoist::jar_path:
      ensure => file,
      owner  => 'root',
      group  => 'root',
      mode   => '0644',
      source => $hoist::jar_source,
    }
  }
}
