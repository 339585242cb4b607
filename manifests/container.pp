# @summary One container, run by the Choria machine `hoist_NAME`.
#
# Declares the `hoist::machine` `hoist_NAME`: the folder `MACHINE_STORE/hoist_NAME` with
# `container.json`, the spec hoist-cli reads (mode 0600: the environment may hold secrets), and
# `machine.yaml`, the Choria machine that starts, checks, remediates, restarts, updates and stops
# the container (see `hoist::container_machine`). `ensure: absent` removes the folder, which
# stops the machine at Choria's next scan.
#
# Class `hoist` declares one per entry of `hoist::containers`, `hoist::container { NAME: config =>
# ENTRY }`: that is how to use it. Declared anywhere else while `hoist::purge` is true, the
# container would be purged, so that fails.
#
# @example The seed's basic container, in Hiera
#   hoist::containers:
#     weather:
#       image: example/weather
#       image_tag: v1
#       syslog: true
#       environment:
#         - WEATHER_API_KEY=c2..4a
#       volumes:
#         - /srv/weather/logs:/logs
#       ports:
#         - "8080:8080"
#
# @example Updates through the Key-Value store: `choria kv put HOIST_weather TAG v2`
#   hoist::containers:
#     weather:
#       kv_update: true
#       image: example/weather
#       image_tag: v1
#
# @example A health-gated start: restarts succeed once /health has answered 200 for 10s
#   hoist::containers:
#     weather:
#       image: example/weather
#       ports:
#         - "8080:8080"
#       health_http: http://127.0.0.1:8080/health
#       start_timeout: 2m
#       min_healthy_time: 10s
#
# @example Service registration: publish port 8080 as `lon.http.weather.INSTANCE` in bucket CHORIA_SERVICES while in RUN
#   hoist::containers:
#     weather:
#       image: example/weather
#       ports:
#         - "8080:8080"
#       register_ports:
#         - cluster: lon
#           service: weather
#           protocol: http
#           port: 8080
#           annotations:
#             prometheus.io/scrape: "true"
#
# @param config
#   The container, as one entry of `hoist::containers`: a `Hoist::ContainerConfig`. Its keys are
#   those of `container.json` (README.md's table "The container spec" documents each one and its
#   default) and four that only Puppet reads:
#
#   * `ensure`: `present` (the default), or `absent` to stop managing the container: its machine
#     folder is removed, and with it the machine. With `hoist::purge`, `hoist-cli purge` then
#     removes the container.
#   * `kv_layout`: where the desired tag lives when `kv_update` is set: `container` (bucket
#     `HOIST_NAME`, key `TAG`) or `shared` (bucket `hoist::kv_shared_bucket`, key
#     `container/NAME/tag`); the default is `hoist::kv_layout`. Written to `container.json` as
#     `kv_bucket` and `kv_key` (see `hoist::kv_location`).
#   * `register_ports`: service ports to publish into the Choria Key-Value store while the
#     machine is in `RUN`, one Choria `gossip` watcher per entry (see `Hoist::Registration` for the
#     keys and their defaults, and `hoist::container_machine`). Each entry is written as the key
#     `CLUSTER.PROTOCOL.SERVICE.INSTANCE` of the bucket `CHORIA_SERVICES` every `interval`; the
#     bucket is not created here (`choria kv add CHORIA_SERVICES --ttl 1m`), and its TTL is what
#     removes an entry that is no longer refreshed. Two entries may not share cluster, protocol
#     and service. Written into `machine.yaml`, and into `registrations.json` beside
#     `container.json`, from which hoist-cli withdraws the node's entries before it replaces or
#     stops a running container.
#   * `drain_time`: with `register_ports`, how long hoist-cli waits between withdrawing the
#     node's entries and stopping the running container (default `5s`; `0s`: no wait), so that
#     consumers following the registry stop sending to it first (docs/registration.md).
#
#   Unset keys get the defaults of `hoist::container_defaults` (`check_interval` and
#   `kv_interval` those of class `hoist`); `container.json` holds every other key as it is given,
#   plus `name`, `kv_bucket` and `kv_key`, and leaves `start_timeout` and `min_healthy_time` out
#   when they are unset (hoist-cli applies the same defaults). When a KEY comes more than once in `environment`, the
#   last entry wins, in the place of the first: with Hiera's deep merge, the more specific level's
#   value. `health_status` needs `health_http`; `syslog: true` with a `log_driver` other than
#   `syslog` is refused.
define hoist::container (
  Hoist::ContainerConfig $config,
) {
  unless $title =~ Hoist::Name {
    fail(@("MSG"/L))
      Hoist::Container[${title}]: '${title}' is not a container name: a name is a letter followed by \
      at least one more letter, digit, _ or - (the container and its machine are hoist_NAME), and 'purge' is reserved
      | MSG
  }
  if $hoist::purge and !($title in $hoist::containers) {
    fail(@("MSG"/L))
      Hoist::Container[${title}]: not in hoist::containers, so hoist::purge would remove it; \
      declare it there or set hoist::purge to false
      | MSG
  }
  # Every key resolved: the container's own, else the defaults.
  $container = hoist::container_defaults() + {
    'kv_layout'      => $hoist::kv_layout,
    'kv_interval'    => $hoist::kv_interval,
    'check_interval' => $hoist::check_interval,
  } + $config

  if 'health_status' in $container and !('health_http' in $container) {
    fail("Hoist::Container[${title}]: health_status is set without health_http: it is the status the health_http probe expects")
  }

  # syslog: true is the shorthand for the syslog log driver: beside another driver it contradicts it.
  if $container['syslog'] and 'log_driver' in $container and $container['log_driver'] != 'syslog' {
    fail(@("MSG"/L))
      Hoist::Container[${title}]: syslog is true but log_driver is '${container['log_driver']}': \
      syslog: true means log_driver syslog; set one of them
      | MSG
  }

  if $container['ensure'] == 'absent' {
    hoist::machine { "hoist_${title}":
      ensure => absent,
    }
  } else {
    $kv = hoist::kv_location($title, $container['kv_layout'], $hoist::kv_shared_bucket)

    # One entry per KEY, the last one winning: a deep merge appends the more specific Hiera
    # level's entries after the common ones, so that is the more specific value.
    $env = $container['environment'].reduce({}) |$entries, $entry| {
      $entries + { $entry.split('=')[0] => $entry }
    }.values

    # The spec hoist-cli reads: every key but the three only Puppet reads, plus the name and the KV
    # location. container.json's keys come in the order Hoist 0.1.0 wrote them, so that upgrading
    # Hoist rewrites no container.json. That list is frozen: a key added to Hoist::ContainerConfig
    # since needs no entry in it, and follows these keys, in sorted order.
    $spec = ($container - ['ensure', 'kv_layout', 'register_ports', 'drain_time']) + {
      'name'        => $title,
      'environment' => $env,
      'kv_bucket'   => $kv['bucket'],
      'kv_key'      => $kv['key'],
    }
    # hoist-cli's own defaults, which Hoist has never written: these keys only when they are set.
    $written = $spec.filter |$key, $value| { !($key in ['start_timeout', 'min_healthy_time']) or $key in $config }
    $order_in_0_1_0 = [
      'name', 'image', 'image_tag', 'command', 'entrypoint', 'network', 'syslog', 'environment', 'volumes',
      'ports', 'kv_update', 'kv_bucket', 'kv_key', 'kv_interval', 'check_interval', 'stop_timeout',
      'restart_governor', 'update_governor', 'restart_files', 'health_http', 'health_status', 'health_tcp',
      'health_command', 'start_timeout', 'min_healthy_time',
    ]
    $keys = $order_in_0_1_0.filter |$key| { $key in $written } + ($written.keys - $order_in_0_1_0).sort
    $container_json = hoist::to_json_pretty(Hash($keys.map |$key| { [$key, $written[$key]] }))

    # The service registrations with every default filled in, in the order of the gossip
    # watcher's registration (go-choria's gossipwatcher.Registration), plus their interval.
    $node_ip = $facts.dig('networking', 'ip')
    $registrations = $container['register_ports'].map |$index, $entry| {
      if !('ip' in $entry) and !($node_ip =~ Stdlib::IP::Address::Nosubnet) {
        fail("Hoist::Container[${title}]: register_ports[${index}] has no ip, and the node's networking.ip fact is not an IP address")
      }
      # Annotations only when there are some, as the watcher publishes them (omitempty).
      $annotations = pick($entry['annotations'], {})
      $registration = {
        'cluster'  => pick($entry['cluster'], $title),
        'service'  => $entry['service'],
        'protocol' => pick($entry['protocol'], 'tcp'),
        'ip'       => pick($entry['ip'], $node_ip),
        'port'     => $entry['port'],
        'priority' => pick($entry['priority'], 1),
      }
      $registration + ($annotations.empty ? {
          true    => {},
          default => { 'annotations' => $annotations },
      }) + { 'interval' => pick($entry['interval'], '15s') }
    }
    # One machine publishes every entry under the same instance id: the rest of the key must differ.
    $registration_keys = $registrations.map |$r| { "${r['cluster']}.${r['protocol']}.${r['service']}" }
    $registration_twice = $registration_keys.filter |$key| { $registration_keys.filter |$k| { $k == $key }.length > 1 }.unique
    unless $registration_twice.empty {
      fail(@("MSG"/L))
        Hoist::Container[${title}]: register_ports has more than one entry for ${registration_twice.join(', ')} \
        (cluster.protocol.service): they would overwrite each other's key
        | MSG
    }

    # What hoist-cli withdraws from CHORIA_SERVICES before it replaces or stops the running
    # container (issue 27): the entries' keys and addresses, and drain_time. No secrets: 0644.
    # Without register_ports there is no such file, so no drain and no wait.
    $drain = $registrations.empty ? {
      true    => {},
      default => {
        'registrations.json' => hoist::to_json_pretty({
          'drain_time'    => $container['drain_time'],
          'registrations' => $registrations.map |$r| { $r.filter |$k, $v| { $k in ['cluster', 'protocol', 'service', 'ip', 'port'] } },
        }),
      },
    }
    if $registrations.empty {
      file { "${hoist::machine_store}/hoist_${title}/registrations.json":
        ensure => absent,
      }
    }

    # container.json is Sensitive, hence 0600: the environment may hold secrets.
    hoist::machine { "hoist_${title}":
      *     => hoist::container_machine($hoist::cli_path, $spec, $registrations),
      files => { 'container.json' => Sensitive($container_json) } + $drain,
    }
  }
}
