#!/usr/bin/env bash
# harness/scenarios/upgrade.sh: upgrading Hoist replaces no container whose spec did not change
# (issue 11).
#
#   bash harness/test.sh upgrade      (or alone: bash harness/scenarios/upgrade.sh)
#
# Installs two release tarballs, as `puppet module install --ignore-dependencies` installs them,
# and puts each module's launcher (files/hoist-cli) and jar (files/hoist-cli.jar) where Puppet's
# hoist::cli puts them: first the previous release's, PREVIOUS_RELEASE below (a commit of this
# repository's own history, so a fresh clone has it; it predates harness/release.sh, so its tree,
# from `git archive`, is packed by today's harness/release.sh and .pmtignore, and the tarball is
# cached by commit in ~/.cache/hoist, so CI builds it once), then this tree's (harness/release.sh,
# reused when test.sh built it for the run). The previous release starts four containers from specs
# that use every key that release knew: command as a string and as a list, entrypoint, environment, volumes (rw and ro),
# ports on 127.0.0.1, network host and none, syslog (false: no syslog here), stop_timeout,
# health_command with start_timeout, the host-side probes, KV and governor settings. Then it
# installs this tree's jar in its place and requires:
#   1. for each container: `check` exits 0 on both Engine readers (the lean one and docker-java),
#      `start --if-needed` exits 0, and the container is the same one, started at the same time;
#      Docker's event stream shows no container created, started, stopped or removed meanwhile;
#   2. the same, with every container.json written again as a newer Puppet might write it: keys
#      in another order, defaults spelled out;
#   3. one value of one spec changed (worker's GREETING): `check` fails for that container only,
#      `start --if-needed` replaces that container only (the others keep their ids, and Docker
#      saw events for it alone); the new one runs the new value, carries a v2 spec-hash label,
#      and every check passes.
#
# Services: its own dockerd and registry (harness/lib/common.sh), whatever test.sh started; no
# NATS (no spec reads the KV). The container.json files are written here, as that release's Puppet
# wrote them; that this release's Puppet writes them byte for byte alike is spec/fixtures/upgrade's
# (rspec-puppet, the puppet stage). Everything is stopped by pid at exit, after its containers are
# removed. Every assertion is of something a command did before it returned; the one wait is for
# Docker's event stream to deliver what happened (EVENTS_SEEN).
# Prints TAP and `upgrade: N passed, M failed`. Settings: HOIST_KEEP_RUN=1 keeps the run folder.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=harness/lib/puppet.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/puppet.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

[ "$(id -u)" -eq 0 ] || hoist_die "run as root: dockerd needs root"

# The release an upgrade comes from: change this when a release is tagged.
PREVIOUS_RELEASE=0418ec7
NAMES=(web worker probed plain)
# Docker events that mean a container was made, replaced, restarted or touched.
TOUCH_EVENTS=(create start restart stop kill die destroy update rename pause)
# Eventually: Docker's event stream (docker events, running since dockerd started) has delivered
# the events of a command that returned; it takes milliseconds, 10 s is a loaded machine's worst.
EVENTS_SEEN=10

scenario_begin upgrade

measured() { timings+=("$1|$2"); }
scenario_logs() {
  echo "dockerd|${HOIST_DOCKERD_LOG:-}"
  echo "docker events|$EVENTS"
}
summary() {
  if [ "$failed" -ne 0 ]; then
    hoist_docker ps -a --format '{{.Names}} {{.ID}} {{.Status}} {{index .Labels "io.choria.hoist.spec-hash"}}' 2>/dev/null | quote containers
  fi
  scenario_table 40 "value"
  note "$(printf '%-40s %s' "upgrade scenario, total" "$((SECONDS - SCENARIO_STARTED)) s")"
  scenario_result
}

hoist_setup_run upgrade
R=$HOIST_RUN
STORE=$R/store
INSTALLED=$R/lib/hoist/hoist-cli.jar
LAUNCHER=$R/bin/hoist-cli
EVENTS=$R/events.log
hoist_before_stop() {
  [ -n "${HOIST_DOCKER_HOST:-}" ] || return 0
  local ids
  mapfile -t ids < <(hoist_docker ps -aq 2>/dev/null)
  [ "${#ids[@]}" -eq 0 ] || hoist_docker rm -f "${ids[@]}" >/dev/null 2>&1 || true
}

# previous_tarball: prints the path of PREVIOUS_RELEASE's module package, building it when it is not
# cached: that commit's tree packed by today's harness/release.sh (its release had no release script
# and no .pmtignore), its times the commit's (SOURCE_DATE_EPOCH).
previous_tarball() {
  local commit cache src out
  commit=$(git -C "$HOIST_ROOT" rev-parse --verify -q "$PREVIOUS_RELEASE^{commit}") || {
    hoist_log "commit $PREVIOUS_RELEASE is not in this clone's history (a shallow clone? git fetch --unshallow)"
    return 1
  }
  cache=$(hoist_cache_dir)/hoist-release-$commit
  if ! ls "$cache"/*.tar.gz >/dev/null 2>&1; then
    hoist_log "building the release tarball of $PREVIOUS_RELEASE ($commit), once: it is cached in $cache"
    src=$R/previous-src
    mkdir -p "$src"
    git -C "$HOIST_ROOT" archive "$commit" | tar -x -C "$src" || return 1
    rm -rf "$src/harness" && mkdir -p "$src/harness" || return 1
    cp -r "$HOIST_ROOT/harness/release.sh" "$HOIST_ROOT/harness/lib" "$HOIST_ROOT/harness/tools" "$src/harness/" || return 1
    cp "$HOIST_ROOT/.pmtignore" "$src/" || return 1
    SOURCE_DATE_EPOCH=$(git -C "$HOIST_ROOT" log -1 --format=%ct "$commit") \
      bash "$src/harness/release.sh" --out "$cache.tmp.$$" >"$R/previous-release.out" || return 1
    mv "$cache.tmp.$$" "$cache" || return 1
    rm -rf "$src"
  fi
  out=$(ls "$cache"/*.tar.gz | head -n 1)
  echo "$out"
}

# unpack_module NAME TARBALL: puppet module install --ignore-dependencies into $R/NAME; prints the module's folder.
unpack_module() {
  local out
  out=$(puppet module install --ignore-dependencies --target-dir "$R/$1" "$2" --color false 2>&1) || {
    hoist_log "puppet module install $2 failed: $out"
    return 1
  }
  [ -f "$R/$1/hoist/files/hoist-cli.jar" ] && [ -f "$R/$1/hoist/files/hoist-cli" ] && echo "$R/$1/hoist"
}

# install_module MODULE: what an upgrade by Puppet (hoist::cli) does: the module's launcher and jar
# replace the installed ones, each in one step.
install_module() {
  mkdir -p "${INSTALLED%/*}" "${LAUNCHER%/*}" &&
    cp "$1/files/hoist-cli.jar" "$INSTALLED.new" && mv "$INSTALLED.new" "$INSTALLED" &&
    cp "$1/files/hoist-cli" "$LAUNCHER.new" && chmod 755 "$LAUNCHER.new" && mv "$LAUNCHER.new" "$LAUNCHER"
}

# cli ARGS...: hoist-cli as a node runs it, through the installed launcher, with the installed jar.
cli() { env DOCKER_HOST="$HOIST_DOCKER_HOST" HOIST_CLI_JAR="$INSTALLED" "$LAUNCHER" "$@" --store "$STORE"; }
cli_docker_java() { HOIST_CHECK_CLIENT=docker-java cli "$@"; }

# --- the specs ---------------------------------------------------------------------------------

IMAGE=
WEB_PORT=
PROBED_PORT=
WORKER_PORT=
WORKER_GREETING="hello from the previous release"

# spec NAME JSON: writes STORE/hoist_NAME/container.json, mode 0600 as the module writes it.
spec() {
  mkdir -p "$STORE/hoist_$1"
  (umask 077 && printf '%s\n' "$2" > "$STORE/hoist_$1/container.json")
}

write_specs() {
  # host network, every container key but entrypoint; ports are recorded (Docker ignores them with host).
  spec web '{"name": "web", "image": "'"$IMAGE"'", "image_tag": "v1", "network": "host",
    "command": "httpd -f -p 127.0.0.1:'"$WEB_PORT"' -h /www",
    "environment": ["GREETING=hello world", "MODE=upgrade", "QUOTED=say \"hi\""],
    "volumes": ["'"$R"'/data:/data", "'"$R"'/conf:/conf:ro"], "ports": ["127.0.0.1:'"$WEB_PORT"':'"$WEB_PORT"'"],
    "syslog": false, "stop_timeout": 5, "restart_files": ["'"$R"'/conf/web.conf"],
    "health_command": "wget -q -O /dev/null http://127.0.0.1:'"$WEB_PORT"'/health", "start_timeout": "30s",
    "health_http": "http://127.0.0.1:'"$WEB_PORT"'/health", "health_status": 200, "min_healthy_time": "2s",
    "check_interval": "1m", "kv_update": false, "kv_interval": "15s",
    "restart_governor": "HOIST_web", "update_governor": "HOIST_web_update"}'
  # no network, entrypoint and command as lists, a port on 127.0.0.1, a health_command list, start_timeout at its default.
  spec worker '{"name": "worker", "image": "'"$IMAGE"'", "image_tag": "v2", "network": "none",
    "entrypoint": ["/bin/sh", "-c"],
    "command": ["echo \"$GREETING\" > /data/worker.greeting; exec httpd -f -p 127.0.0.1:8080 -h /www"],
    "environment": ["GREETING='"$WORKER_GREETING"'"], "volumes": ["'"$R"'/data:/data:rw"],
    "ports": ["127.0.0.1:'"$WORKER_PORT"':8080/tcp"], "stop_timeout": 3,
    "health_command": ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"], "start_timeout": "1m",
    "kv_bucket": "HOIST", "kv_key": "worker/tag"}'
  # host network, command as a list, a TCP probe from the host, stop_timeout 0.
  spec probed '{"name": "probed", "image": "'"$IMAGE"'", "image_tag": "v1", "network": "host",
    "command": ["httpd", "-f", "-p", "127.0.0.1:'"$PROBED_PORT"'", "-h", "/www"],
    "health_tcp": "127.0.0.1:'"$PROBED_PORT"'", "stop_timeout": 0, "syslog": false}'
  # as little as there can be, the image's own command (the default network, bridge, is not there on this dockerd).
  spec plain '{"name": "plain", "image": "'"$IMAGE"'", "image_tag": "v1", "network": "none"}'
}

# respell NAME: container.json as a newer Puppet might write it: keys sorted, defaults spelled out
# (this release's: check_interval 2m where 0.1.0 wrote 3m, a change that must replace nothing).
respell() {
  local f=$STORE/hoist_$1/container.json
  jq -S '{"syslog": false, "kv_update": false, "stop_timeout": 10, "check_interval": "2m", "kv_interval": "10s",
          "environment": [], "volumes": [], "ports": [], "restart_files": [], "min_healthy_time": "1s",
          "start_timeout": "60s"} + .' "$f" > "$f.new" && chmod 600 "$f.new" && mv "$f.new" "$f"
}

# --- what the checks look at (each predicate sets SAW) ------------------------------------------

declare -A ID=()
# identity NAME: the container's id and when it last started (a restart in place changes the latter).
identity() {
  local id
  id=$(hoist_docker ps -aq --no-trunc --filter "label=io.choria.hoist.name=$1" 2>/dev/null)
  [ -z "$id" ] || echo "$id $(hoist_docker inspect -f '{{.State.StartedAt}}' "$id" 2>/dev/null)"
}
label_of() { hoist_docker inspect -f '{{index .Config.Labels "io.choria.hoist.spec-hash"}}' "hoist_$1" 2>/dev/null; }
remember_ids() {
  local n
  for n in "${NAMES[@]}"; do
    ID[$n]=$(identity "$n")
    [ -n "${ID[$n]}" ] || abort "$n has no container"
  done
}
same_container() { local now; now=$(identity "$1"); SAW="container ${now:0:12} started ${now##* }, was ${ID[$1]:0:12} started ${ID[$1]##* }"; [ "$now" = "${ID[$1]}" ]; }
replaced() { local now; now=$(identity "$1"); SAW="container ${now:0:12}, was ${ID[$1]:0:12}"; [ -n "$now" ] && [ "${now%% *}" != "${ID[$1]%% *}" ]; }
running() { local st; st=$(hoist_docker inspect -f '{{.State.Status}}' "hoist_$1" 2>/dev/null); SAW="hoist_$1 is ${st:-missing}"; [ "$st" = running ]; }
same_and_running() { same_container "$1" && running "$1"; }
legacy_label() { local l; l=$(label_of "$1"); SAW="spec-hash label '$l'"; [[ $l =~ ^[0-9a-f]{64}$ ]]; }
v2_label() { local l; l=$(label_of "$1"); SAW="spec-hash label '$l'"; [[ $l =~ ^v2:[0-9a-f]{64}$ ]]; }
# check_fails_saying TEXT ARGS...: hoist-cli ARGS exits 1 (check failed) and says TEXT on stderr.
check_fails_saying() {
  local want=$1 err rc
  shift
  err=$("$@" 2>&1 >/dev/null)
  rc=$?
  SAW="exit $rc: ${err:0:300}"
  [ "$rc" -eq 1 ] && [[ $err == *"$want"* ]]
}
# watch_events: Docker's events of Hoist's containers (TOUCH_EVENTS), "NAME ACTION" a line, into
# EVENTS from now on (a stream: no limit to how far back a window may reach).
watch_events() {
  local filters=() e
  for e in "${TOUCH_EVENTS[@]}"; do filters+=(--filter "event=$e"); done
  hoist_spawn events docker --host "$HOIST_DOCKER_HOST" events --filter type=container \
    --filter label=io.choria.hoist.managed=true "${filters[@]}" --format '{{.Actor.Attributes.name}} {{.Action}}' >/dev/null
}
# touched_only CURSOR NAMES: the containers with events in EVENTS after CURSOR are exactly NAMES
# (space separated, sorted; "" for none).
touched_only() {
  local got
  got=$(tail -c +"$(($1 + 1))" "$EVENTS" | awk '{ print $1 }' | sort -u | paste -sd' ')
  SAW="Docker saw container events for: ${got:-none} ($(tail -c +"$(($1 + 1))" "$EVENTS" | paste -sd,))"
  [ "$got" = "$2" ]
}
saw_event() { SAW="events: $(tail -n 8 "$EVENTS" | paste -sd,)"; grep -qx "$1" "$EVENTS"; }
greeting_is() { local g; g=$(cat "$R/data/worker.greeting" 2>/dev/null); SAW="worker.greeting: '$g'"; [ "$g" = "$1" ]; }

# all_in_sync STEP: every container passes check on both readers, start --if-needed replaces none.
all_in_sync() {
  local n cursor
  for n in "${NAMES[@]}"; do
    check "$1: $n: check exits 0 (lean Engine reader)" cli check "$n"
    check "$1: $n: check exits 0 (docker-java)" cli_docker_java check "$n"
  done
  cursor=$(log_cursor "$EVENTS")
  for n in "${NAMES[@]}"; do check "$1: $n: start --if-needed exits 0" cli start --if-needed "$n"; done
  for n in "${NAMES[@]}"; do check "$1: $n: the same container, started at the same time, running" same_and_running "$n"; done
  # Read after the checks above: any event of the starts has been delivered by now (EVENTS_SEEN).
  check "$1: Docker saw no Hoist container created, started, stopped or removed" touched_only "$cursor" ""
}

# --- services and the two jars ------------------------------------------------------------------

step "services: its own dockerd and registry; the release tarballs of $PREVIOUS_RELEASE and of this tree"
unset HOIST_DOCKER_HOST HOIST_REGISTRY HOIST_NATS_URL HOIST_NATS_PORT HOIST_DOCKERD_LOG
hoist_install_packages
t=$SECONDS
OLD_TARBALL=$(previous_tarball) || hoist_die "no release tarball of $PREVIOUS_RELEASE (see the build output above)"
measured "tarball of $PREVIOUS_RELEASE (cached or built)" "$((SECONDS - t)) s"
t=$SECONDS
NEW_TARBALL=$(hoist_release_tarball) || hoist_die "no release tarball of this tree"
measured "tarball of this tree (reused or built)" "$((SECONDS - t)) s"
OLD_MODULE=$(unpack_module previous "$OLD_TARBALL") || hoist_die "cannot install $OLD_TARBALL"
NEW_MODULE=$(unpack_module this "$NEW_TARBALL") || hoist_die "cannot install $NEW_TARBALL"
hoist_start_dockerd
hoist_start_registry
hoist_build_test_images
watch_events
IMAGE=$HOIST_REGISTRY/hoist/web
WEB_PORT=$(hoist_free_port)
PROBED_PORT=$(hoist_free_port)
WORKER_PORT=$(hoist_free_port)
mkdir -p "$R/data" "$R/conf"
echo "setting=1" > "$R/conf/web.conf"
note "previous release: $PREVIOUS_RELEASE, ${OLD_TARBALL##*/} (version $(jq -r .version "$OLD_MODULE/metadata.json"))"
note "this tree: ${NEW_TARBALL##*/} (version $(jq -r .version "$NEW_MODULE/metadata.json"))"

step "1. the previous release starts the containers"
install_module "$OLD_MODULE" || abort "cannot install the launcher and jar of $PREVIOUS_RELEASE"
write_specs
t=$SECONDS
for n in "${NAMES[@]}"; do check "$n: started by $PREVIOUS_RELEASE" cli start "$n" || abort "$PREVIOUS_RELEASE could not start $n"; done
measured "four starts with $PREVIOUS_RELEASE" "$((SECONDS - t)) s"
eventually "$EVENTS_SEEN" "Docker's event stream is read (it saw hoist_plain start)" saw_event "hoist_plain start"
for n in "${NAMES[@]}"; do
  check "$n: check by $PREVIOUS_RELEASE exits 0" cli check "$n"
  check "$n: labelled by $PREVIOUS_RELEASE (64 hex digits, no version)" legacy_label "$n"
done
check "worker runs its greeting" greeting_is "$WORKER_GREETING"
remember_ids

step "2. this tree's module installed in its place (launcher and jar): nothing replaced"
install_module "$NEW_MODULE" || abort "cannot install this tree's launcher and jar"
check "the installed jar is this tree's: $(jq -r .version "$NEW_MODULE/metadata.json")" \
  bash -c '[[ $(HOIST_CLI_JAR="$3" "$1" --version 2>&1) == "hoist-cli $2 (commit "* ]]' _ "$LAUNCHER" "$(jq -r .version "$NEW_MODULE/metadata.json")" "$INSTALLED"
t=$SECONDS
all_in_sync "upgraded"
measured "checks and starts after the upgrade" "$((SECONDS - t)) s"
for n in "${NAMES[@]}"; do check "$n: still labelled by $PREVIOUS_RELEASE" legacy_label "$n"; done

step "3. container.json written again: keys in another order, defaults spelled out"
for n in "${NAMES[@]}"; do respell "$n" || abort "cannot rewrite $n's container.json"; done
all_in_sync "respelled"

step "4. worker's GREETING changed: worker alone is replaced"
WORKER_GREETING="hello from this release"
write_specs
check "worker: check fails: does not match its spec" check_fails_saying "does not match its spec" cli check worker
check "worker: check fails on docker-java too" check_fails_saying "does not match its spec" cli_docker_java check worker
for n in web probed plain; do check "$n: check still exits 0" cli check "$n"; done
cursor=$(log_cursor "$EVENTS")
for n in "${NAMES[@]}"; do check "$n: start --if-needed exits 0" cli start --if-needed "$n"; done
check "worker: replaced" replaced worker
for n in web probed plain; do check "$n: the same container, started at the same time" same_container "$n"; done
eventually "$EVENTS_SEEN" "Docker saw events for hoist_worker only" touched_only "$cursor" "hoist_worker"
check "worker runs the new greeting" greeting_is "$WORKER_GREETING"
check "worker: labelled v2 by this release" v2_label worker
for n in "${NAMES[@]}"; do
  check "$n: check exits 0 (lean Engine reader)" cli check "$n"
  check "$n: check exits 0 (docker-java)" cli_docker_java check "$n"
done

summary
[ "$failed" -eq 0 ]
