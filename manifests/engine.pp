# @summary Installs and starts the container engine hoist-cli talks to, when `hoist::manage_engine` is true.
#
# With `hoist::engine` `podman`: the package `podman` (`hoist::engine_package` overrides the
# name) and its API socket unit `podman.socket`, enabled and running; systemd then starts
# `podman system service` on `/run/podman/podman.sock` at the first request, which is the
# endpoint hoist-cli uses unless `hoist::docker_host` names another. systemd also runs Podman's
# container health checks (a timer per container) and `podman-restart.service`, which starts the
# containers with a restart policy again after a reboot: both come with the package.
#
# With `hoist::engine` `docker`: the package `docker.io` on Debian (`hoist::engine_package`
# overrides it; elsewhere it must be set) and `docker.service`, enabled and running. Operators who
# install Docker Engine from Docker's own repository keep `manage_engine` false.
#
# Does nothing when `hoist::manage_engine` is false: the operator provides the engine.
#
# @api private
class hoist::engine {
  assert_private()

  if $hoist::manage_engine {
    $os = $facts.dig('os', 'family')
    $package = $hoist::engine_package ? {
      Undef   => $hoist::engine ? {
        'podman' => 'podman',
        default  => $os ? {
          'Debian' => 'docker.io',
          default  => undef,
        },
      },
      default => $hoist::engine_package,
    }
    if $package =~ Undef {
      fail(@("MSG"/L))
        hoist: no Docker package is known for the ${os} family: set hoist::engine_package, or \
        hoist::manage_engine to false and install Docker yourself
        | MSG
    }
    $service = $hoist::engine ? {
      'podman' => 'podman.socket',
      default  => 'docker.service',
    }
    package { $package:
      ensure => installed,
    }
    -> service { $service:
      ensure => running,
      enable => true,
    }
  }
}
