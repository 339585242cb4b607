# @summary Runs Docker containers as Choria Autonomous Agents, configured from Hiera.
#
# Each entry of `containers` becomes a Choria machine `hoist_NAME` in the machine store. The
# Choria daemon then downloads, starts, health checks, restarts and updates the container; an
# update can also be started by writing a new tag to the Choria Key-Value store.
#
# This class only routes: `hoist::engine` installs the container engine (with `manage_engine`),
# `hoist::java` installs a JRE, `hoist::cli` installs hoist-cli and writes the node's settings file,
# `hoist::purge` writes the purge machine, and `hoist::container` writes one machine per container;
# with `ensure` absent, `hoist::remove` removes all of it instead.
#
# @example Include the class on your machines
#   include hoist
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
# @example On a Choria node: hoist-cli reads the KV with the server's broker and certificates
#   hoist::kv_config: /etc/choria/server.conf
#
# @example On Podman (Rocky, Alma, RHEL, Debian): its Docker API socket, the package and podman.socket managed
#   hoist::engine: podman
#   hoist::manage_engine: true
#
# @example Remove Hoist from a node: every machine, then every container, the launcher and the jar
#   hoist::ensure: absent
#
# @param ensure
#   `present`, or `absent` to remove Hoist from the node in one run (see `hoist::remove`):
#   `hoist-cli purge --all` removes every Hoist machine's `machine.yaml` (the purge machine's
#   too), waits for Choria to stop them, then removes every machine folder and stops and removes
#   every Hoist container; then Puppet removes the launcher, the jar, its class-data-sharing
#   archive and the jar's folder. `containers` is then not read. The JRE stays (other software may
#   use it).
# @param containers
#   The containers, by name. Each value is a `Hoist::ContainerConfig`: README.md's table "The
#   container spec" documents every key, and `hoist::container` the keys only Puppet reads
#   (`ensure`, `kv_layout`, `register_ports`). Looked up with a deep merge across the Hiera
#   hierarchy.
# @param purge
#   When true, Hoist removes the machines and containers it created that are no longer in
#   `containers`: Puppet writes the list of managed names and a `hoist_purge` machine runs
#   `hoist-cli purge` every `purge_interval`. When false, a container is removed only by
#   setting its `ensure` to `absent`.
# @param machine_store
#   Choria's machine store (`plugin.choria.machine.store`). It must exist; puppet-choria or
#   the Choria package creates it.
# @param manage_java
#   When true, install a headless Java runtime from the OS packages (`java_package`) before the
#   launcher and the machines are written: hoist-cli needs Java 17 or newer, and the launcher runs
#   `/usr/bin/java`, which the package provides. When false, the operator provides Java (see
#   `java_path`).
# @param java_package
#   The package `manage_java` installs. When unset: `openjdk-17-jre-headless` on Debian 12,
#   `openjdk-21-jre-headless` on Debian 13; on any other system, set it (or set `manage_java`
#   to false).
# @param manage_cli
#   When true, install the hoist-cli launcher as `cli_path` and its jar as `jar_path`. When
#   false, the operator provides both.
# @param cli_path
#   Where the hoist-cli launcher is. Every exec and nagios watcher calls it by this absolute path,
#   with no environment of its own: the launcher reads the node's settings from `settings_file`.
#   Its folder must exist.
# @param settings_file
#   The node's settings file: what hoist-cli needs to know about this node (`DOCKER_HOST`, and
#   `HOIST_CLI_JAR`, `HOIST_REGISTRY_AUTH`, `HOIST_JAVA`, `HOIST_NATS_URL`, `HOIST_CHORIA_CONFIG`,
#   `HOIST_IDENTITY` from the parameters below), written once (root, 0644, its folder created root
#   0755) from `templates/hoist-cli.conf.epp`, so that a changed setting rewrites this file and no
#   machine. The launcher Puppet installs names it (`templates/hoist-cli.epp`) and reads it as
#   `KEY=VALUE` lines without executing them; a variable set in the environment wins (an
#   operator's `DOCKER_HOST=... hoist-cli status`). It holds no secrets: credentials stay in their
#   own 0600 files, which it names by path. Written with or without `manage_cli`; the launcher in
#   the module's `files/hoist-cli`, installed by hand, reads `/etc/hoist/hoist-cli.conf`.
# @param jar_path
#   Where the hoist-cli jar is: `HOIST_CLI_JAR` in `settings_file`. With `manage_cli`, its folder
#   is created (root, 0755), so give the jar a folder of its own.
# @param jar_source
#   Where `hoist::cli` copies the jar from. The default is the jar that `mvn package` puts in
#   the module's `files/` folder.
# @param java_path
#   The java binary. When set, it is `HOIST_JAVA` in `settings_file`; when not, the launcher runs
#   `java` from the caller's `PATH` (the Choria daemon's, for the watchers), else `/usr/bin/java`.
#   Choria runs commands with only its own `PATH`, so set this when `java` is elsewhere.
# @param engine
#   The container engine on the node: `docker` (Docker Engine), or `podman` (Podman serving the
#   Docker Engine API on its socket, `podman.socket`). It sets the default of `docker_host`
#   (`unix:///var/run/docker.sock`, or `unix:///run/podman/podman.sock` for Podman) and what
#   `manage_engine` installs. docs/podman.md lists what differs on Podman.
# @param manage_engine
#   When true, install the engine's package and start it before any machine is written: for
#   `podman`, the package `podman` and the unit `podman.socket` (enabled, running); for `docker`,
#   `docker.io` on Debian and `docker.service`. When false (the default), the operator provides
#   the engine.
# @param engine_package
#   The package `manage_engine` installs, instead of `podman` or `docker.io`.
# @param docker_host
#   The Docker API endpoint hoist-cli uses: `DOCKER_HOST` in `settings_file`. When unset, the default
#   socket of `engine`: `unix:///var/run/docker.sock` for Docker, `unix:///run/podman/podman.sock`
#   for Podman (rootful: the Choria server runs hoist-cli as root, which that socket needs).
# @param check_interval
#   How often the health check runs, unless a container sets its own `check_interval`. Its
#   default, like those of `kv_interval` and `kv_layout`, is `hoist::container_defaults`'. That
#   default, 2m, keeps hoist-cli's CPU per container per hour below the original module's shell
#   check every 20s (bench/run.sh measures both); a container whose process dies is restarted by
#   Docker's restart policy at once, so the check is the second line and the reporter.
# @param kv_interval
#   How often the Key-Value store is polled for a new tag, unless a container sets its own.
# @param kv_layout
#   Where desired tags live, unless a container sets its own `kv_layout`: `container` (bucket
#   `HOIST_NAME`, key `TAG`) or `shared` (bucket `kv_shared_bucket`, key `container/NAME/tag`).
# @param kv_shared_bucket
#   The bucket of the `shared` KV layout.
# @param kv_server
#   The NATS brokers hoist-cli connects to for the Key-Value store, e.g.
#   `nats://broker1:4222,nats://broker2:4222`: `HOIST_NATS_URL` in `settings_file`.
#   Unset by default. With no TLS settings of its own, this suits a plain NATS broker; a Choria
#   broker refuses plain connections, so on a Choria node set `kv_config` instead.
# @param kv_config
#   A Choria configuration file hoist-cli reads the broker (`plugin.choria.middleware_hosts`) and
#   its TLS certificates (`plugin.security.*`) from, e.g. `/etc/choria/server.conf`:
#   `HOIST_CHORIA_CONFIG` in `settings_file`. The watchers run hoist-cli as the Choria server's user,
#   which can read the server's own certificates. Unset by default. When both are set, hoist-cli
#   takes the broker from this file.
#
#   With either, a container with `kv_update` is rolled out fleet-safely: `hoist-cli start` reads
#   the desired tag and the fleet's failure marker fresh from the KV, and when a tag never becomes
#   healthy on a node it rolls that node back and marks the tag failed in the KV, so that no other
#   node tries it. With neither (and no `/etc/choria/client.conf` on the node), hoist-cli uses only
#   what the machine's KV watchers saw, and a failed tag is rolled back on each node that tries it:
#   the rollback is per node. On a Choria node, set `kv_config` to the server's configuration.
# @param identity
#   This node's name in the status bucket `HOIST_STATUS` (key `NAME.IDENTITY`) and in the canary
#   slots of a rollout: `HOIST_IDENTITY` in `settings_file`; set it to the node's Choria
#   identity. Unset by default: hoist-cli then takes the host's name.
# @param purge_interval
#   How often the purge machine runs `hoist-cli purge`.
# @param registry_auth_file
#   The registry credentials file hoist-cli pulls with and asks registries for digests with
#   (`image_poll`, `update --dry-run`): `HOIST_REGISTRY_AUTH` in `settings_file` (the default is
#   hoist-cli's own). The file is
#   Docker's `config.json` format, `{"auths": {"registry.example.com:5000": {"auth": "..."}}}`
#   (base64 `user:password`, or `username` and `password`), by registry host (Docker Hub is
#   `docker.io` or `https://index.docker.io/v1/`). Puppet writes it from `registry_auth`; without
#   that, the operator may provide it. hoist-cli refuses a file every user may read (exit 2), and
#   never prints its values. A missing file means no credentials.
# @param registry_auth
#   The registry logins, by registry host (`registry.example.com:5000`), each `username` and
#   `password` or `auth`; Hiera converts them to `Sensitive` (see `data/common.yaml`). When set,
#   Puppet writes `registry_auth_file` (root, 0600, its folder created root 0755) and shows no diff
#   of it; when unset, Puppet leaves that file alone.
class hoist (
  Enum['present', 'absent'] $ensure = 'present',
  Hash[Hoist::Name, Hoist::ContainerConfig] $containers = {},
  Boolean $purge = true,
  Hoist::CommandPath $machine_store = '/etc/choria/machine',
  Boolean $manage_java = true,
  Optional[String[1]] $java_package = undef,
  Boolean $manage_cli = true,
  Hoist::CommandPath $cli_path = '/usr/local/bin/hoist-cli',
  Hoist::CommandPath $settings_file = '/etc/hoist/hoist-cli.conf',
  Stdlib::Unixpath $jar_path = '/usr/local/lib/hoist/hoist-cli.jar',
  Stdlib::Filesource $jar_source = 'puppet:///modules/hoist/hoist-cli.jar',
  Optional[Stdlib::Unixpath] $java_path = undef,
  Enum['docker', 'podman'] $engine = 'docker',
  Boolean $manage_engine = false,
  Optional[String[1]] $engine_package = undef,
  Optional[Hoist::DockerHost] $docker_host = undef,
  Hoist::Duration $check_interval = hoist::container_defaults()['check_interval'],
  Hoist::Duration $kv_interval = hoist::container_defaults()['kv_interval'],
  Hoist::KvLayout $kv_layout = hoist::container_defaults()['kv_layout'],
  Hoist::KvBucket $kv_shared_bucket = 'HOIST',
  Optional[Hoist::NatsUrls] $kv_server = undef,
  Optional[Stdlib::Absolutepath] $kv_config = undef,
  Optional[Pattern[/\A[-_=.\/a-zA-Z0-9]+\z/]] $identity = undef,
  Hoist::Duration $purge_interval = '1m',
  Stdlib::Absolutepath $registry_auth_file = '/etc/hoist/registry-auth.json',
  Optional[Sensitive[Hash[String[1], Hoist::RegistryLogin]]] $registry_auth = undef,
) {
  $engine_host = $docker_host ? {
    Undef   => $engine ? {
      'podman' => 'unix:///run/podman/podman.sock',
      default  => 'unix:///var/run/docker.sock',
    },
    default => $docker_host,
  }

  # The node's settings, the parameters of templates/hoist-cli.conf.epp: hoist::cli writes them once
  # into settings_file, which the launcher reads, so that no machine carries them (a changed
  # setting reloads no machine). Set before the classes that read it.
  $settings = {
    'docker_host'   => $engine_host,
    'jar_path'      => $jar_path,
    'registry_auth' => $registry_auth_file,
    'java_path'     => $java_path,
    'kv_server'     => $kv_server,
    'kv_config'     => $kv_config,
    'identity'      => $identity,
  }

  if $ensure == 'absent' {
    contain hoist::remove
  } else {
    contain hoist::engine
    contain hoist::java
    contain hoist::cli
    contain hoist::purge
    contain hoist::registry

    $containers.each |$n, $c| {
      hoist::container { $n: config => $c }
    }

    # Java and hoist-cli first; then the list of managed names, so that purge never sees a new
    # container folder before its name; then the containers.
    Class['hoist::java'] -> Class['hoist::cli'] -> Class['hoist::purge'] -> Hoist::Container <| |>
    Class['hoist::engine'] -> Hoist::Container <| |>
    Class['hoist::registry'] -> Hoist::Container <| |>
  }
}
