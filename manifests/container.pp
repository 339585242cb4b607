# @summary One container, run by the Choria machine `hoist_NAME`.
#
# Writes `MACHINE_STORE/hoist_NAME/container.json`, the spec hoist-cli reads (mode 0600: the
# environment may hold secrets), and `machine.yaml`, the Choria machine that starts, checks,
# remediates, restarts, updates and stops the container (see `hoist::container_machine`). `ensure => absent`
# removes the folder, which stops the machine at Choria's next scan.
#
# Class `hoist` declares one per entry of `hoist::containers`: that is how to use it. Declared
# anywhere else while `hoist::purge` is true, the container would be purged, so that fails.
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
# @param image
#   The image, without its tag, e.g. `example/weather` or `registry.example.com:5000/example/weather`.
# @param ensure
#   `present`, or `absent` to stop managing the container: its machine folder is removed, and
#   with it the machine. With `hoist::purge`, `hoist-cli purge` then removes the container.
# @param image_tag
#   The tag to run, and the starting point when `kv_update` is set and the KV holds no tag yet.
# @param command
#   The container's command, replacing the image's `CMD`.
# @param entrypoint
#   The container's entrypoint, replacing the image's `ENTRYPOINT`.
# @param network
#   The Docker network to join.
# @param syslog
#   When true, the container logs to syslog instead of Docker's default log driver.
# @param environment
#   `KEY=value` entries. They go only into `container.json` (mode 0600), never into `machine.yaml`.
#   When a KEY comes more than once, the last entry wins, in the place of the first: with Hiera's
#   deep merge, the more specific level's value.
# @param volumes
#   Bind mounts, `/host/path:/container/path[:ro|:rw]`.
# @param ports
#   Published ports, `[IP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]`. Quote them in YAML.
# @param kv_update
#   When true, the machine polls the Choria Key-Value store for the desired tag and updates the
#   container when it changes (see `kv_layout`), and keeps the fleet's failure marker for that tag
#   (the key with `_failed` appended, see `hoist::kv_failed_key`) in its machine data, so that a
#   tag that failed on one node is not tried again. Set `hoist::kv_config` (or `hoist::kv_server`)
#   so that hoist-cli can read the KV itself and mark a failed tag for the fleet.
# @param kv_layout
#   Where the desired tag lives: `container` (bucket `HOIST_NAME`, key `TAG`) or `shared`
#   (bucket `hoist::kv_shared_bucket`, key `container/NAME/tag`).
# @param kv_interval
#   How often the Key-Value store is polled.
# @param check_interval
#   How often `hoist-cli check` runs while the machine is in `RUN`.
# @param stop_timeout
#   Seconds Docker waits for the container to stop before killing it.
# @param restart_governor
#   A Choria Governor that remediation (`hoist-cli start --if-needed`) and restarts wait for, to
#   replace containers across a fleet a few nodes at a time.
# @param update_governor
#   A Choria Governor that updates wait for, for rolling updates.
# @param restart_files
#   Absolute paths of files whose change restarts the container, e.g. its configuration.
# @param health_http
#   An HTTP health probe, `http://HOST:PORT[/PATH]` with HOST `127.0.0.1`, `localhost` or `[::1]`:
#   hoist-cli sends it a GET from the host (through a published port, or directly with network
#   `host`) while it starts the container and in every check. Unset: no HTTP probe.
# @param health_status
#   The HTTP status `health_http` must answer with; hoist-cli's default is 200. Only with
#   `health_http`: setting it alone fails the catalog.
# @param health_tcp
#   A TCP health probe, `PORT` or `HOST:PORT` with HOST `127.0.0.1`, `localhost` or `[::1]`:
#   hoist-cli connects to it from the host while it starts the container and in every check.
#   Quote a bare port in YAML. Unset: no TCP probe.
# @param health_command
#   A command run inside the container as its Docker `HEALTHCHECK`, replacing the image's own;
#   a string is split like `command`, without a shell. Unset: the image's `HEALTHCHECK`, if it
#   has one, is kept.
# @param start_timeout
#   How long `hoist-cli start` and `restart` wait for the new container to be running and healthy
#   (its Docker health status `healthy` when it has a `HEALTHCHECK`, and every probe passing) for
#   `min_healthy_time` without a break; after that they fail (exit 6). hoist-cli's default is `60s`.
#   The machine's remediate and restart watchers allow for it (see `hoist::container_machine`).
# @param min_healthy_time
#   How long the new container must stay running and healthy before a start or restart succeeds;
#   `0s` is allowed. hoist-cli's default is `1s`.
# @param register_ports
#   Service ports to publish into the Choria Key-Value store while the machine is in `RUN`, one
#   Choria `gossip` watcher per entry (see `Hoist::Registration` for the keys and their defaults,
#   and `hoist::container_machine`). Each entry is written as the key
#   `CLUSTER.PROTOCOL.SERVICE.INSTANCE` of the bucket `CHORIA_SERVICES` every `interval`; the bucket
#   is not created here (`choria kv add CHORIA_SERVICES --ttl 1m`), and its TTL is what removes an
#   entry that is no longer refreshed. Two entries may not share cluster, protocol and service.
#   Written only into `machine.yaml`: hoist-cli reads `container.json` strictly and does not know
#   this key, so it is not there.
define hoist::container (
  Hoist::Image $image,
  Enum['present', 'absent'] $ensure = 'present',
  Hoist::Tag $image_tag = 'latest',
  Optional[Hoist::Command] $command = undef,
  Optional[Hoist::Command] $entrypoint = undef,
  Hoist::Network $network = 'bridge',
  Boolean $syslog = false,
  Array[Hoist::EnvVar] $environment = [],
  Array[Hoist::Volume] $volumes = [],
  Array[Hoist::Port] $ports = [],
  Boolean $kv_update = false,
  Hoist::KvLayout $kv_layout = $hoist::kv_layout,
  Hoist::Duration $kv_interval = $hoist::kv_interval,
  Hoist::Duration $check_interval = $hoist::check_interval,
  Integer[0, 3600] $stop_timeout = 10,
  Optional[Hoist::Governor] $restart_governor = undef,
  Optional[Hoist::Governor] $update_governor = undef,
  Array[Stdlib::Unixpath] $restart_files = [],
  Optional[Hoist::HealthUrl] $health_http = undef,
  Optional[Integer[100, 599]] $health_status = undef,
  Optional[Hoist::HealthTcp] $health_tcp = undef,
  Optional[Hoist::Command] $health_command = undef,
  Optional[Hoist::Duration] $start_timeout = undef,
  Optional[Hoist::Period] $min_healthy_time = undef,
  Array[Hoist::Registration] $register_ports = [],
) {
  unless $title =~ Hoist::Name {
    fail("Hoist::Container[${title}]: the name must match Hoist::Name: a letter, then letters, digits, _ or -; not 'purge'")
  }
  if $hoist::purge and !($title in $hoist::containers) {
    fail(@("MSG"/L))
      Hoist::Container[${title}]: not in hoist::containers, so hoist::purge would remove it; \
      declare it there or set hoist::purge to false
      | MSG
  }
  if $health_status =~ NotUndef and $health_http =~ Undef {
    fail("Hoist::Container[${title}]: health_status is set without health_http: it is the status the health_http probe expects")
  }

  $folder = "${hoist::machine_store}/hoist_${title}"

  if $ensure == 'absent' {
    file { $folder:
      ensure  => absent,
      recurse => true,
      force   => true,
    }
  } else {
    $kv = hoist::kv_location($title, $kv_layout, $hoist::kv_shared_bucket)

    # One entry per KEY, the last one winning: a deep merge appends the more specific Hiera
    # level's entries after the common ones, so that is the more specific value.
    $env = $environment.reduce({}) |$entries, $entry| {
      $entries + { $entry.split('=')[0] => $entry }
    }.values

    # The spec hoist-cli reads: the container's keys with their defaults filled in, plus its name
    # and KV location, less `ensure` and `kv_layout`. Unset optional keys are left out.
    $spec = delete_undef_values({
        'name'             => $title,
        'image'            => $image,
        'image_tag'        => $image_tag,
        'command'          => $command,
        'entrypoint'       => $entrypoint,
        'network'          => $network,
        'syslog'           => $syslog,
        'environment'      => $env,
        'volumes'          => $volumes,
        'ports'            => $ports,
        'kv_update'        => $kv_update,
        'kv_bucket'        => $kv['bucket'],
        'kv_key'           => $kv['key'],
        'kv_interval'      => $kv_interval,
        'check_interval'   => $check_interval,
        'stop_timeout'     => $stop_timeout,
        'restart_governor' => $restart_governor,
        'update_governor'  => $update_governor,
        'restart_files'    => $restart_files,
        'health_http'      => $health_http,
        'health_status'    => $health_status,
        'health_tcp'       => $health_tcp,
        'health_command'   => $health_command,
        'start_timeout'    => $start_timeout,
        'min_healthy_time' => $min_healthy_time,
    })

    # The service registrations with every default filled in, in the order of the gossip
    # watcher's registration (go-choria's gossipwatcher.Registration), plus their interval.
    $node_ip = $facts.dig('networking', 'ip')
    $registrations = $register_ports.map |$index, $entry| {
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

    file { $folder:
      ensure => directory,
      owner  => 'root',
      group  => 'root',
      mode   => '0755',
    }

    # Written before machine.yaml, so that a new machine never runs without its spec.
    file { "${folder}/container.json":
      ensure  => file,
      owner   => 'root',
      group   => 'root',
      mode    => '0600',
      content => Sensitive(to_json_pretty($spec)),
    }

    file { "${folder}/machine.yaml":
      ensure  => file,
      owner   => 'root',
      group   => 'root',
      mode    => '0644',
      content => to_yaml(hoist::container_machine($spec, $registrations)),
      require => File["${folder}/container.json"],
    }
  }
}
