# shellcheck shell=bash
# harness/lib/engines.sh: the Docker Engines Hoist is tested on, and the Debian roots they run from.
# Sourced by common.sh (which defines hoist_spawn, hoist_wait_for and hoist_log used here).
#
#   hoist_engines                 the engine names, one a line: 20.10, 26, 26c, podman
#   hoist_engine_describe ENGINE  one line: what the engine is (release, storage)
#   hoist_start_engine ENGINE     the run's Docker Engine: 20.10 is the machine's own dockerd
#                                 (hoist_start_dockerd), 26 and 26c run Debian 13's dockerd from a cached
#                                 root (hoist_start_rooted_dockerd), podman is Debian 12's Podman serving
#                                 the Docker API (hoist_start_podman). Exports HOIST_DOCKER_HOST,
#                                 HOIST_DOCKERD_LOG and HOIST_DOCKER_ENGINE (the ENGINE name).
#   hoist_start_podman NAME       `podman system service` on a socket in $HOIST_RUN/NAME, with its own
#                                 storage (vfs), runroot, tmp dir, containers.conf and registries.conf
#                                 there (127.0.0.1 insecure); sets HOIST_DOCKERD_HOST (unix://...)
#   hoist_start_rooted_dockerd NAME ROOT MODE
#                                 dockerd from the Debian root ROOT in its own mount namespace, its files
#                                 in $HOIST_RUN/NAME; MODE graph (vfs) or containerd (the containerd image
#                                 store, native snapshotter); sets HOIST_DOCKERD_HOST (unix://...)
#   hoist_debian_root SUITE PKG...
#                                 prints the folder of a Debian SUITE root (debootstrap minbase with
#                                 PKG...), building it on first use; cached by suite and package list
#   hoist_engine_line             one line on the run's engine: `engine ENGINE: Docker X (API Y, min Z), STORE`
#
# A rooted dockerd is `unshare --mount` -> bind the root onto itself (it must be a mount point, or
# layer registration fails with "remount /, flags: 0x84000: invalid argument"), read-only; /proc,
# /sys, /dev and the host's /tmp inside -> chroot -> dockerd. Every mount lives in that private
# namespace, so none is seen outside and all go with its last process: stopping dockerd by pid
# undoes them. /tmp is the host's, so that the socket, data root and bind-mounted test folders
# (all below $HOIST_RUN) have the same paths inside and out. No bridge, no iptables, loopback only.

# The Debian root the Docker 26 engines run from (the Puppet 8 work can share the suite).
HOIST_ENGINE_SUITE=trixie
HOIST_ENGINE_PACKAGES=(docker.io ca-certificates)

hoist_engines() { printf '%s\n' 20.10 26 26c podman; }

hoist_engine_describe() {
  case "$1" in
    20.10) echo "Docker 20.10 (Debian 12 docker.io), graph driver vfs" ;;
    26) echo "Docker 26 (Debian 13 docker.io, from a cached root), graph driver vfs" ;;
    26c) echo "Docker 26 (Debian 13 docker.io, from a cached root), containerd image store (native snapshotter)" ;;
    podman) echo "Podman 4.3 (Debian 12 podman) serving the Docker API, storage driver vfs" ;;
    *) return 1 ;;
  esac
}

hoist_cache_dir() { printf '%s\n' "${HOIST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/hoist}"; }

# The Debian archive the machine's apt uses (HOIST_DEBIAN_MIRROR overrides), or nothing, and
# debootstrap then uses its default.
hoist_debian_mirror() {
  if [ -n "${HOIST_DEBIAN_MIRROR:-}" ]; then echo "$HOIST_DEBIAN_MIRROR"; return 0; fi
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    awk '$1 == "URIs:" { for (i = 2; i <= NF; i++) print $i }
         $1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) { print $i; break } }' |
    grep -E '^https?://[^ ]*/debian/?$' | head -n 1
}

# hoist_debian_root SUITE PKG...: the root's folder on stdout. Built with debootstrap into a temp
# name beside the cache entry and renamed only when complete, under a lock, so that an interrupted
# build is never used and two runs never build the same root at once (a stale partial build is
# removed by the next one).
hoist_debian_root() {
  local suite=$1 pkgs key cache dir log rc mirror
  shift
  pkgs=$(printf '%s\n' "$@" | sort -u | paste -sd, -)
  key=$(printf 'debootstrap --variant=minbase --include=%s %s\n' "$pkgs" "$suite" | sha256sum | cut -c1-12)
  cache=$(hoist_cache_dir)
  dir=$cache/debian-$suite-$key
  if [ -f "$dir/.hoist-root" ]; then echo "$dir"; return 0; fi
  command -v debootstrap >/dev/null || { hoist_log "debootstrap is not installed (harness/lib/packages.txt)"; return 1; }
  mkdir -p "$cache"
  log=$cache/debian-$suite-$key.log
  mirror=$(hoist_debian_mirror)
  (
    flock 9
    [ -f "$dir/.hoist-root" ] && exit 0
    tmp=$cache/.debian-$suite-$key.partial
    if [ -e "$tmp" ]; then
      hoist_log "removing an interrupted build of the $suite root ($tmp)"
      hoist_unmount_under "$tmp"
      rm -rf "$tmp"
    fi
    hoist_log "building a Debian $suite root with $pkgs (debootstrap, about a minute; log: $log)"
    # shellcheck disable=SC2086  # no mirror: debootstrap's default
    debootstrap --variant=minbase --include="$pkgs" "$suite" "$tmp" $mirror >"$log" 2>&1 || {
      hoist_unmount_under "$tmp"
      tail -n 20 "$log" | sed 's/^/  | /' >&2
      exit 1
    }
    hoist_unmount_under "$tmp"
    rm -rf "$tmp"/var/cache/apt/archives/*.deb "$tmp"/var/lib/apt/lists/*_Packages
    {
      echo "suite: $suite"
      echo "packages: $pkgs"
      echo "built: $(date -u +%FT%TZ)"
      chroot "$tmp" dpkg-query -W -f='${Package} ${Version}\n' "$@"
    } >"$tmp/.hoist-root"
    mv "$tmp" "$dir"
  ) 9>"$cache/.debian-$suite-$key.lock" && rc=0 || rc=$?
  [ "$rc" -eq 0 ] && [ -f "$dir/.hoist-root" ] || { hoist_log "could not build the Debian $suite root"; return 1; }
  echo "$dir"
}

# hoist_chroot_exec ROOT COMMAND...: run inside a new private mount namespace (see the top of this
# file); mounts, then execs COMMAND chrooted into ROOT. Not for calling directly.
hoist_chroot_exec() {
  local root=$1
  shift
  set -e
  mount --bind "$root" "$root"
  mount --make-private "$root"
  mount -o remount,bind,ro "$root"
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"  # with the cgroup hierarchies below it, which dockerd needs
  mount --make-rprivate "$root/sys"
  mount --rbind /dev "$root/dev"
  mount --make-rprivate "$root/dev"
  mount --bind /tmp "$root/tmp"
  mount -t tmpfs -o mode=755 tmpfs "$root/run"
  exec chroot "$root" "$@"
}

# hoist_start_rooted_dockerd NAME ROOT MODE: see the top of this file.
hoist_start_rooted_dockerd() {
  local name=$1 root=$2 mode=$3 d host storage=() features='{}'
  d=$HOIST_RUN/$name
  mkdir -p "$d/data" "$d/exec"
  case "$mode" in
    graph) storage=(--storage-driver vfs) ;;
    containerd)
      storage=(--storage-driver native)
      features='{"features":{"containerd-snapshotter":true}}'
      ;;
    *) hoist_die "no dockerd mode '$mode' (graph or containerd)" ;;
  esac
  printf '%s\n' "$features" > "$d/daemon.json"
  host="unix://$d/docker.sock"
  # shellcheck disable=SC2034  # for the caller
  HOIST_DOCKERD_HOST=$host
  local pid log=$HOIST_RUN/dockerd-$name.log
  pid=$(hoist_spawn "dockerd-$name" unshare --mount --propagation private \
    bash -c 'source "$1"; shift; hoist_chroot_exec "$@"' _ "$HOIST_ROOT/harness/lib/engines.sh" "$root" \
    /usr/sbin/dockerd --host "$host" --config-file "$d/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/docker.pid" "${storage[@]}" --containerd-namespace "hoist-$name" \
    --containerd-plugins-namespace "hoist-$name-plugins" --iptables=false --ip6tables=false --bridge=none \
    --log-level warn)
  # Eventually: dockerd answers (about 2 s here, its containerd starting first; 60 s allows for a
  # loaded machine). One that exited (a mount refused, a bad flag) is reported at once.
  hoist__engine_answers "$pid" "$host" "$log" "dockerd $name"
  hoist_log "dockerd $name ($mode, from $root) is up at $host"
}

# Podman: Debian 12's podman 4.3 serving the Docker Engine API (`podman system service`) on a socket
# in $HOIST_RUN/NAME. Everything it keeps is there too: storage (vfs: graphroot and runroot), its tmp
# dir (container state, exit files), volumes, network configs, the events log; its config files are
# given by CONTAINERS_CONF, CONTAINERS_STORAGE_CONF and CONTAINERS_REGISTRIES_CONF, so neither
# /etc/containers nor the machine's own Podman storage is read or touched. No networks are created:
# containers use --net host or none. cgroupfs, not systemd (no systemd here); events to a file, not
# journald; log driver k8s-file. The registries.conf marks every registry on 127.0.0.1 insecure
# (plain HTTP), as Docker treats 127.0.0.0/8.
hoist_podman_configs() {
  local d=$1
  mkdir -p "$d/graph" "$d/runroot" "$d/tmp" "$d/volumes" "$d/networks" "$d/events"
  cat > "$d/storage.conf" <<EOF
[storage]
driver = "vfs"
graphroot = "$d/graph"
runroot = "$d/runroot"
EOF
  cat > "$d/containers.conf" <<EOF
[containers]
log_driver = "k8s-file"
[network]
network_config_dir = "$d/networks"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events/events.log"
runtime = "runc"
tmp_dir = "$d/tmp"
volume_path = "$d/volumes"
EOF
  cat > "$d/registries.conf" <<EOF
unqualified-search-registries = []
[[registry]]
location = "127.0.0.1"
insecure = true
EOF
}

# hoist_podman_health_timer: what systemd does for Podman's health checks, on a machine without
# systemd (this one). Podman runs a container's HEALTHCHECK from a transient systemd timer that calls
# `podman healthcheck run ID` every interval; without systemd the service logs "unable to get systemd
# connection to add healthchecks" and a health status stays "starting" for ever. This loop is that
# timer: every second it lists the running containers, and runs each one's check when its interval
# (read once per container from `podman inspect`) has passed since the last run, the first one
# interval after it was first seen running, as systemd's timer does. Runs with the service's
# environment (CONTAINERS_CONF...); not for calling directly.
hoist_podman_health_timer() {
  local id now iv
  declare -A interval=() due=()
  while :; do
    now=$(date +%s)
    for id in $(podman ps -q --no-trunc --filter status=running 2>/dev/null); do
      if [ -z "${interval[$id]:-}" ]; then
        iv=$(podman inspect -f '{{if .Config.Healthcheck}}{{.Config.Healthcheck.Interval.Seconds}}{{end}}' "$id" 2>/dev/null) || continue
        iv=${iv%%.*}
        interval[$id]=${iv:-0}
        due[$id]=$((now + ${iv:-0}))
      fi
      [ "${interval[$id]}" -gt 0 ] && [ "$now" -ge "${due[$id]}" ] || continue
      due[$id]=$((now + interval[$id]))
      podman healthcheck run "$id" >/dev/null 2>&1 || true
    done
    sleep 1
  done
}

# hoist_podman_service DIR: runs in the process hoist_spawn records (not for calling directly):
# `podman system service` in the background, and on TERM the clean-up Podman needs and dockerd does
# not: each container's monitor (conmon) is its own process, re-parented away from the service, so
# stopping the service alone would leave conmon and the containers running. On TERM: every container
# removed (`podman rm --all --force`, which ends their conmon), the service stopped, then any conmon
# of this folder still alive stopped by pid (found by its command line, which names the folder).
# Beside the service, hoist_podman_health_timer runs the containers' health checks.
hoist_podman_service() {
  local d=$1 svc timer rc pid
  export CONTAINERS_CONF=$d/containers.conf CONTAINERS_STORAGE_CONF=$d/storage.conf CONTAINERS_REGISTRIES_CONF=$d/registries.conf
  podman system service --time=0 "unix://$d/podman.sock" &
  svc=$!
  hoist_podman_health_timer &
  timer=$!
  trap ':' TERM INT
  wait "$svc" && rc=0 || rc=$?
  kill -TERM "$timer" 2>/dev/null || true
  wait "$timer" 2>/dev/null || true
  if kill -0 "$svc" 2>/dev/null; then
    podman rm --all --force --time 2 >/dev/null 2>&1 || true
    kill -TERM "$svc" 2>/dev/null || true
    wait "$svc" 2>/dev/null || true
    rc=0
  fi
  for pid in $(hoist_podman_conmons "$d"); do
    kill -TERM "$pid" 2>/dev/null || true
  done
  exit "$rc"
}

# The pids of the conmon processes whose command line names the folder DIR.
hoist_podman_conmons() {
  local d=$1 f pid
  for f in /proc/[0-9]*/cmdline; do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = conmon ] || continue
    tr '\0' ' ' < "$f" 2>/dev/null | grep -F -- "$d/" >/dev/null && echo "$pid"
  done
}

# hoist_start_podman NAME: see the top of this file.
hoist_start_podman() {
  local name=$1 d host pid log
  command -v podman >/dev/null || hoist_die "podman is not installed (harness/lib/packages.txt)"
  d=$HOIST_RUN/$name
  hoist_podman_configs "$d"
  host="unix://$d/podman.sock"
  # shellcheck disable=SC2034  # for the caller
  HOIST_DOCKERD_HOST=$host
  log=$HOIST_RUN/$name.log
  pid=$(hoist_spawn "$name" bash -c 'source "$1"; hoist_podman_service "$2"' _ "$HOIST_ROOT/harness/lib/engines.sh" "$d")
  # Eventually: the service answers (about 1 s here; 60 s allows for a loaded machine). One that
  # exited (a bad config) is reported at once.
  hoist__engine_answers "$pid" "$host" "$log" "podman $name"
  hoist_log "podman $name ($(podman --version 2>/dev/null)) is up at $host"
}

# hoist__engine_answers PID HOST LOG WHAT: wait (60 s at most) until the Engine at HOST answers;
# die at once, with the end of LOG, when its process PID exited instead.
hoist__engine_answers() {
  local pid=$1 host=$2 log=$3 what=$4 deadline=$((SECONDS + 60))
  until docker --host "$host" version >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" | sed 's/^/  | /' >&2
      hoist_die "$what exited while starting (log: $log)"
    fi
    ((SECONDS < deadline)) || hoist_die "timed out after 60s waiting for $what at $host (log: $log)"
    sleep 0.2
  done
}

# hoist_start_engine ENGINE: see the top of this file.
hoist_start_engine() {
  local engine=$1 root
  case "$engine" in
    20.10)
      # shellcheck disable=SC2119  # the run's own dockerd: no NAME
      hoist_start_dockerd
      return 0
      ;;
    26 | 26c)
      root=$(hoist_debian_root "$HOIST_ENGINE_SUITE" "${HOIST_ENGINE_PACKAGES[@]}") || hoist_die "no Debian $HOIST_ENGINE_SUITE root for Docker 26"
      if [ "$engine" = 26 ]; then
        hoist_start_rooted_dockerd "docker-$engine" "$root" graph
      else
        hoist_start_rooted_dockerd "docker-$engine" "$root" containerd
      fi
      HOIST_DOCKER_HOST=$HOIST_DOCKERD_HOST
      HOIST_DOCKERD_LOG=$HOIST_RUN/dockerd-docker-$engine.log
      export HOIST_DOCKER_HOST HOIST_DOCKERD_LOG
      ;;
    podman)
      hoist_start_podman "$engine"
      HOIST_DOCKER_HOST=$HOIST_DOCKERD_HOST
      HOIST_DOCKERD_LOG=$HOIST_RUN/$engine.log
      export HOIST_DOCKER_HOST HOIST_DOCKERD_LOG
      ;;
    *) hoist_die "no engine '$engine' ($(hoist_engines | paste -sd' ' -))" ;;
  esac
  HOIST_DOCKER_ENGINE=$engine
  export HOIST_DOCKER_ENGINE
}

# One line on the engine at HOIST_DOCKER_HOST: which engine (Docker, or Podman when its /version
# lists the component "Podman Engine"), its version, API versions and image store.
hoist_engine_line() {
  local v store product=Docker
  v=$(docker --host "$HOIST_DOCKER_HOST" version --format '{{.Server.Version}} (API {{.Server.APIVersion}}, min {{.Server.MinAPIVersion}})' 2>/dev/null) || v='(no answer)'
  if docker --host "$HOIST_DOCKER_HOST" version --format '{{range .Server.Components}}{{println .Name}}{{end}}' 2>/dev/null | grep -x 'Podman Engine' >/dev/null; then
    product=Podman
  fi
  store=$(docker --host "$HOIST_DOCKER_HOST" info --format '{{.Driver}}{{range .DriverStatus}}{{if eq (index . 0) "driver-type"}} ({{index . 1}}){{end}}{{end}}' 2>/dev/null) || store='?'
  printf 'engine %s: %s %s, storage %s\n' "${HOIST_DOCKER_ENGINE:-20.10}" "$product" "$v" "$store"
}
