# shellcheck shell=bash
# harness/lib/common.sh: shared helpers for Hoist's test, demo and benchmark scripts.
#
# Source it, then call the functions. Everything a function starts is recorded in
# "$HOIST_RUN/pids" and stopped, newest first and by pid, by hoist_stop_all, which
# the calling script runs from its EXIT trap (hoist_on_exit sets that up).
#
#   hoist_setup_run [NAME]      make the run folder ($HOIST_RUN) and the EXIT trap
#   hoist_wait_for S WHAT CMD   poll CMD until it succeeds; exit the script after S seconds
#   hoist_wait_until S WHAT CMD poll CMD until it succeeds; return 1 after S seconds
#   hoist_install_packages      apt-get install what harness/lib/packages.txt lists and is missing
#   hoist_start_dockerd [NAME]  private dockerd; exports HOIST_DOCKER_HOST (unix://...), its log
#                               file HOIST_DOCKERD_LOG and HOIST_DOCKER_ENGINE=20.10; with NAME,
#                               another one in $HOIST_RUN/NAME, its URL in HOIST_DOCKERD_HOST
#   hoist_start_registry        docker-registry on 127.0.0.1; exports HOIST_REGISTRY (127.0.0.1:PORT)
#   hoist_start_nats            nats-server -js on 127.0.0.1; exports HOIST_NATS_URL and HOIST_NATS_PORT
#                               (each of the three, called again after its process was stopped, starts
#                               it again on the same data: dockerd with no NAME as it is, registry and
#                               NATS with --again, on the same port)
#   hoist_build_test_images     builds hoist/web:v1, v2, v3 (broken: its httpd exits at once) and v4 from
#                               busybox, pushes them to the registry
#   hoist_build_jar             mvn package (no tests); the jar is hoist-cli/target/hoist-cli.jar
#   hoist_ensure_jar            hoist_build_jar only when the jar is missing or older than its sources
#   hoist_ensure_build          the same for the jar and the test classes (the java stages run those)
#   hoist_stop_all              stop everything this run started
#
# lib/engines.sh (sourced below) adds the Docker Engines: hoist_start_engine 20.10|26|26c, and
# hoist_debian_root, the cached Debian roots the Docker 26 engines run from.

HOIST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export HOIST_ROOT

hoist_log() { printf '[hoist %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
hoist_die() { hoist_log "ERROR: $*"; exit 1; }

# Runs as root on CI and on the demo machine; use sudo only where we are not root.
hoist_sudo() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

hoist_install_packages() {
  local missing=() pkg
  while read -r pkg; do
    [ -n "$pkg" ] && [ "${pkg#\#}" = "$pkg" ] || continue
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$pkg")
  done < "$HOIST_ROOT/harness/lib/packages.txt"
  if [ "${#missing[@]}" -gt 0 ]; then
    hoist_log "installing Debian packages: ${missing[*]}"
    # No service of these packages starts when it is installed (docker.io's dockerd, nats-server,
    # docker-registry, node_exporter, prometheus: the tests start their own, on loopback, by pid):
    # Debian's invoke-rc.d asks policy-rc.d, and 101 says no. A policy-rc.d already there is kept.
    local policy=/usr/sbin/policy-rc.d ours=false rc=0
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\n# written by Hoist'"'"'s harness for the length of an apt-get install\nexit 101\n' | hoist_sudo tee "$policy" >/dev/null &&
        hoist_sudo chmod 755 "$policy" && ours=true
    fi
    hoist_sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive hoist_sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 || rc=$?
    if $ours; then hoist_sudo rm -f "$policy"; fi
    # prometheus is here for its promtool alone: its server is not to start at boot either.
    if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
      hoist_sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
    fi
    return "$rc"
  fi
}

hoist_setup_run() {
  HOIST_RUN=$(mktemp -d "/tmp/hoist-${1:-run}.XXXXXX")
  export HOIST_RUN
  : > "$HOIST_RUN/pids"
  trap 'hoist_on_exit' EXIT
  trap 'exit 130' INT TERM
}

hoist_on_exit() {
  local rc=$?
  # Hook for scripts that show something (a log tail, say) when they fail.
  if [ "$rc" -ne 0 ] && declare -F hoist_on_failure >/dev/null; then hoist_on_failure "$rc" || true; fi
  hoist_stop_all
  if [ "${HOIST_KEEP_RUN:-}" = "" ]; then
    hoist_unmount_under "$HOIST_RUN"
    rm -rf "$HOIST_RUN" 2>/dev/null || true
  else
    hoist_log "kept run folder $HOIST_RUN"
  fi
  exit "$rc"
}

# dockerd leaves mounts (its network namespace) below its exec root: unmount before removing.
hoist_unmount_under() {
  local m
  awk -v d="$1" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

hoist_free_port() { python3 "$HOIST_ROOT/harness/tools/free-port.py"; }

# hoist_wait_for SECONDS DESCRIPTION COMMAND...: poll COMMAND until it succeeds.
hoist_wait_for() {
  local limit=$1 what=$2 i
  shift 2
  for ((i = 0; i < limit * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  hoist_die "timed out after ${limit}s waiting for $what"
}

# hoist_wait_until SECONDS DESCRIPTION COMMAND...: poll COMMAND every 0.25 s until it succeeds;
# return 1 (with a message on stderr) after SECONDS, for callers that report and carry on.
hoist_wait_until() {
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + limit))
  while ((SECONDS < deadline)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  hoist_log "timed out after ${limit}s waiting for $what"
  return 1
}

# hoist_spawn NAME COMMAND...: run COMMAND in the background, log to $HOIST_RUN/NAME.log,
# and record its pid so that hoist_stop_all stops it.
hoist_spawn() {
  local name=$1
  shift
  "$@" > "$HOIST_RUN/$name.log" 2>&1 &
  local pid=$!
  echo "$pid $name" >> "$HOIST_RUN/pids"
  echo "$pid"
}

hoist_stop_pid() {
  local pid=$1 name=${2:-process} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  hoist_log "$name ($pid) did not stop after 30s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

# hoist_remove_containers: removes every container of the run's own dockerd (hoist_docker), for a
# script whose dockerd holds nothing else (bench/run.sh, bench/gap.sh, as their hoist_before_stop).
hoist_remove_containers() {
  local ids
  ids=$(hoist_docker ps -aq 2>/dev/null || true)
  # shellcheck disable=SC2086  # one id per word
  [ -z "$ids" ] || hoist_docker rm -f $ids >/dev/null 2>&1 || true
}

hoist_stop_all() {
  [ -n "${HOIST_RUN:-}" ] && [ -f "$HOIST_RUN/pids" ] || return 0
  local pid name
  # Hook for scripts that need to clean up before services stop (containers, say).
  if declare -F hoist_before_stop >/dev/null; then hoist_before_stop || true; fi
  tac "$HOIST_RUN/pids" | while read -r pid name; do
    hoist_stop_pid "$pid" "$name"
  done
  : > "$HOIST_RUN/pids"
}

hoist_docker() { docker --host "$HOIST_DOCKER_HOST" "$@"; }

# hoist_start_dockerd [NAME]: without NAME, the run's dockerd in $HOIST_RUN/docker, exported as
# HOIST_DOCKER_HOST. With NAME, another private dockerd in $HOIST_RUN/NAME (its own socket, data
# root, exec root and pidfile; pid recorded as dockerd-NAME); HOIST_DOCKER_HOST is left alone and
# HOIST_DOCKERD_HOST is set to the new one's unix:// URL.
hoist_start_dockerd() {
  local name=${1:-} d host
  d=$HOIST_RUN/${name:-docker}
  mkdir -p "$d/data" "$d/exec"
  host="unix://$d/docker.sock"
  if [ -z "$name" ]; then
    HOIST_DOCKER_HOST=$host
    HOIST_DOCKERD_LOG=$HOIST_RUN/dockerd.log  # for the scenarios' evidence (hoist_spawn's log)
    HOIST_DOCKER_ENGINE=20.10                  # the machine's Debian 12 docker.io (lib/engines.sh)
    export HOIST_DOCKER_HOST HOIST_DOCKERD_LOG HOIST_DOCKER_ENGINE
  fi
  # shellcheck disable=SC2034  # for the caller
  HOIST_DOCKERD_HOST=$host
  hoist_spawn "dockerd${name:+-$name}" dockerd --host "$host" --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/docker.pid" --storage-driver vfs --iptables=false --ip6tables=false --bridge=none \
    --log-level warn >/dev/null
  # Eventually: dockerd answers (about 1 s here; 60 s allows for a first start on a loaded machine).
  hoist_wait_for 60 "dockerd at $host" docker --host "$host" version
  hoist_log "dockerd${name:+ $name} is up at $host"
}

hoist_start_registry() {
  local d=$HOIST_RUN/registry port
  if [ "${1:-}" = --again ]; then
    port=${HOIST_REGISTRY##*:}
  else
    port=$(hoist_free_port)
  fi
  mkdir -p "$d/data"
  cat > "$d/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $d/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
  HOIST_REGISTRY="127.0.0.1:$port"
  export HOIST_REGISTRY
  hoist_spawn registry docker-registry serve "$d/config.yml" >/dev/null
  # Eventually: the registry answers its API root (well under a second here).
  hoist_wait_for 30 "registry at $HOIST_REGISTRY" curl -fsS "http://$HOIST_REGISTRY/v2/"
  hoist_log "registry is up at $HOIST_REGISTRY"
}

hoist_start_nats() {
  local d=$HOIST_RUN/nats port
  if [ "${1:-}" = --again ]; then port=$HOIST_NATS_PORT; else port=$(hoist_free_port); fi
  mkdir -p "$d"
  HOIST_NATS_URL="nats://127.0.0.1:$port"
  HOIST_NATS_PORT=$port
  export HOIST_NATS_URL HOIST_NATS_PORT
  hoist_spawn nats nats-server -a 127.0.0.1 -p "$port" -js -sd "$d/js" >/dev/null
  # Eventually: nats-server accepts connections (well under a second here).
  hoist_wait_for 30 "nats-server at $HOIST_NATS_URL" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port"
  hoist_log "nats-server is up at $HOIST_NATS_URL"
}

# A tiny web image: busybox-static, httpd serving /www/index.html that names the version.
# v1 to v4 are pushed to the registry as $HOIST_REGISTRY/hoist/web:TAG; the local copies
# are removed so that tests pull them as a node would.
hoist_build_test_images() {
  local busybox=/bin/busybox version root  # from busybox-static: no shared libraries needed
  for version in v1 v2 v3 v4; do
    root=$HOIST_RUN/rootfs-$version
    mkdir -p "$root/bin" "$root/www" "$root/tmp" "$root/data"
    cp "$busybox" "$root/bin/busybox"
    for applet in sh httpd sleep cat echo env wget ls kill; do ln -sf busybox "$root/bin/$applet"; done
    echo "hoist-web $version" > "$root/www/index.html"
    echo ok > "$root/www/health"
    if [ "$version" = v3 ]; then
      # The broken release: its web server dies at once, whatever command the spec gives.
      rm "$root/bin/httpd"
      printf '#!/bin/sh\necho "hoist-web v3 is broken" >&2\nexit 1\n' > "$root/bin/httpd"
      chmod 755 "$root/bin/httpd"
    fi
    tar -C "$root" -c . | hoist_docker import \
      --change 'CMD ["/bin/httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/www"]' \
      --change "LABEL io.choria.hoist.test-version=$version" \
      - "$HOIST_REGISTRY/hoist/web:$version" >/dev/null
    hoist_docker push -q "$HOIST_REGISTRY/hoist/web:$version" >/dev/null
    hoist_docker rmi "$HOIST_REGISTRY/hoist/web:$version" >/dev/null
  done
  hoist_log "pushed $HOIST_REGISTRY/hoist/web:v1, v2, v3 (broken) and v4"
}

hoist_build_jar() {
  (cd "$HOIST_ROOT" && mvn -B -q -DskipTests package) >&2 || return 1
  HOIST_CLI_JAR=$HOIST_ROOT/hoist-cli/target/hoist-cli.jar
  export HOIST_CLI_JAR
}

# hoist_ensure_build: hoist_ensure_jar, and the test classes (hoist-cli/target/test-classes) built
# from the current test sources, for the java stages, which run their tests without building.
hoist_ensure_build() {
  local t=$HOIST_ROOT/hoist-cli/target
  if [ ! -d "$t/test-classes" ] || [ -n "$(find "$HOIST_ROOT/hoist-cli/src/test" -newer "$t/test-classes" -print -quit 2>/dev/null)" ]; then
    hoist_log "building hoist-cli.jar and its tests (mvn package, no tests run)"
    hoist_build_jar || hoist_die "mvn package failed: no hoist-cli.jar to test"
    touch "$t/test-classes"
  fi
  hoist_ensure_jar
}

hoist_ensure_jar() {
  local jar=$HOIST_ROOT/hoist-cli/target/hoist-cli.jar
  if [ ! -f "$jar" ] || [ -n "$(find "$HOIST_ROOT/hoist-cli/src/main" "$HOIST_ROOT/hoist-cli/pom.xml" "$HOIST_ROOT/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]; then
    hoist_log "building hoist-cli.jar (mvn package)"
    hoist_build_jar || hoist_die "mvn package failed: no hoist-cli.jar to test"
  fi
  HOIST_CLI_JAR=$jar
  export HOIST_CLI_JAR
}

# shellcheck source=harness/lib/engines.sh
source "$HOIST_ROOT/harness/lib/engines.sh"
