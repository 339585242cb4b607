# @summary Installs the headless Java runtime hoist-cli runs on, from the OS packages.
#
# Does nothing when `hoist::manage_java` is false. The package is `hoist::java_package`, else
# the one this OS release ships: `openjdk-17-jre-headless` on Debian 12, `openjdk-21-jre-headless`
# on Debian 13. Either puts `java` at `/usr/bin/java`, where the launcher looks when `java` is not
# on the Choria daemon's `PATH`.
#
# @api private
class hoist::java {
  assert_private()

  if $hoist::manage_java {
    $os = "${facts.dig('os', 'name')} ${facts.dig('os', 'release', 'major')}"
    $known = {
      'Debian 12' => 'openjdk-17-jre-headless',
      'Debian 13' => 'openjdk-21-jre-headless',
    }
    $package = $hoist::java_package ? {
      Undef   => $known[$os],
      default => $hoist::java_package,
    }
    if $package =~ Undef {
      fail(@("MSG"/L))
        hoist: no Java runtime package is known for ${os}: set hoist::java_package, or hoist::manage_java \
        to false and install Java 17 or newer yourself
        | MSG
    }
    package { $package:
      ensure => installed,
    }
  }
}
