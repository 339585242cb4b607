# @summary Puppet's one copy of the defaults of a container's keys.
#
# `hoist::container` fills in each key here that a container leaves unset; class `hoist`'s
# `check_interval`, `kv_interval` and `kv_layout`, which set those keys' defaults for every
# container, default to the values here. hoist-cli applies the same defaults to a key missing from
# `container.json` (README.md's table "The container spec" lists them).
#
# Only the keys Puppet fills in or reads itself are here. `ensure`, `kv_layout`, `register_ports`
# and `drain_time` are read by Puppet and never written to `container.json`. `start_timeout` and
# `min_healthy_time` are read for the machine's timeouts (`hoist::container_machine`) and written
# only when they are set, as Hoist has always done. The others are written, filled in, as Hoist has
# always written them. A key that is not here is written only when it is set, and hoist-cli
# applies its own default when it is not. A new key is best left out: a default added here is
# written into every `container.json`, which Puppet then rewrites on every node
# (spec/fixtures/upgrade holds what Hoist 0.1.0 wrote, to catch that).
#
# @return [Hash[String[1], Any]] The defaults, by key.
#
# @example
#   hoist::container_defaults()['image_tag'] # => 'latest'
function hoist::container_defaults() >> Hash[String[1], Any] {
  $defaults = {
    'ensure'           => 'present',
    'image_tag'        => 'latest',
    'network'          => 'bridge',
    'syslog'           => false,
    'environment'      => [],
    'volumes'          => [],
    'ports'            => [],
    'kv_update'        => false,
    'kv_layout'        => 'container',
    'kv_interval'      => '10s',
    'check_interval'   => '2m',
    'stop_timeout'     => 10,
    'restart_files'    => [],
    'start_timeout'    => '60s',
    'min_healthy_time' => '1s',
    'register_ports'   => [],
    'drain_time'       => '5s',
  }
  $defaults
}
