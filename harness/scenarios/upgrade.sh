#!/usr/bin/env bash
# harness/scenarios/upgrade.sh: upgrading Hoist from any earlier release replaces no container whose
# spec did not change (issue 11).
#
#   bash harness/test.sh upgrade      (or alone: bash harness/scenarios/upgrade.sh)
#
# One section per earlier release, PREVIOUS_RELEASES below (0.1.0, then 0.2.0), each on a node of
# its own (its own store, launcher, jar and settings file), on one dockerd and registry shared by the
# sections: the containers of a section are removed before the next starts. A section installs two
# release tarballs, as `puppet module install --ignore-dependencies` installs them, and applies each
# module's own Puppet (`puppet apply` of `include hoist`, its Hiera naming the node's paths and one
# container, `watched`, that Puppet alone writes and nobody starts: its machine.yaml is what an
# upgrade reloads): first the earlier release's (release_tarball below: built from that commit,
# cached by commit in ~/.cache/hoist, so CI builds it once), which installs its launcher and jar
# and writes watched's machine with DOCKER_HOST and HOIST_CLI_JAR in its watchers, then this tree's
# (harness/release.sh, reused when test.sh built it for the run), which installs its launcher, jar
# and the node's settings file and rewrites that machine.yaml once, with no environment (a second
# apply changes nothing). The earlier release starts four containers from specs that use every key
# that release knew: command as a string and as a list, entrypoint, environment, volumes (rw and
# ro), ports on 127.0.0.1, network host and none, syslog (false: no syslog here), stop_timeout,
# health_command with start_timeout, the host-side probes, KV and governor settings; from 0.2.0 on,
# also the container options (memory, memory_reservation, cpus, labels, ulimits, log_driver and
# log_opts, read_only, tmpfs, cap_drop, pids_limit, init, stop_signal, shm_size) and the image
# settings (image_poll, min_image_age, keep_images), which Docker must show it applied. It checks
# the spec-hash label that release writes (0.1.0: 64 hex digits; 0.2.0: `v2:` and 64), then
# installs this tree's jar in its place and requires:
#   .2 for each container: `check` exits 0 on both Engine readers (the lean one and docker-java),
#      `start --if-needed` exits 0, and the container is the same one, started at the same time,
#      with the label the earlier release wrote; Docker's event stream shows no container created,
#      started, stopped or removed meanwhile; both as a machine not yet reloaded runs hoist-cli
#      (DOCKER_HOST and HOIST_CLI_JAR in its environment) and as a reloaded one does (the launcher
#      by its path, in the machine folder, with nothing in the environment but PATH);
#   .3 the same, with every container.json written again as a newer Puppet might write it: keys
#      in another order, defaults spelled out (this tree's keys' too), sizes and capabilities in
#      another spelling;
#   .4 one value of one spec changed (worker's GREETING): `check` fails for that container only,
#      `start --if-needed` replaces that container only (the others keep their ids, and Docker
#      saw events for it alone); the new one runs the new value (and the options its spec sets),
#      carries a new v2 spec-hash label, and every check passes.
#
# Services: its own dockerd and registry (harness/lib/common.sh), whatever test.sh started; no
# NATS (no spec reads the KV); no Choria (a machine.yaml that changes is what Choria reloads). The container.json files are written here, as that release's Puppet
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

# The releases an upgrade comes from, oldest first, VERSION=COMMIT (commits of this repository's own
# history, so a fresh clone has them): add one when a release is made.
PREVIOUS_RELEASES=(0.1.0=0418ec7 0.2.0=e65e15b)
# The spec-hash label each release writes on the containers it creates (SpecHash.java): 0.1.0 the
# legacy form, 64 hex digits; 0.2.0 its own, `v2:` and 64 hex digits (as this tree).
declare -A LABEL_FORM=([0.1.0]=legacy [0.2.0]=v2)
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
  scenario_table 44 "value"
  note "$(printf '%-44s %s' "upgrade scenario, total" "$((SECONDS - SCENARIO_STARTED)) s")"
  scenario_result
}

hoist_setup_run upgrade
R=$HOIST_RUN
EVENTS=$R/events.log
# The node of the section running (node_for): its folder, store, installed jar and launcher.
NODE=
STORE=
INSTALLED=
LAUNCHER=
hoist_before_stop() {
  [ -n "${HOIST_DOCKER_HOST:-}" ] || return 0
  local ids
  mapfile -t ids < <(hoist_docker ps -aq 2>/dev/null)
  [ "${#ids[@]}" -eq 0 ] || hoist_docker rm -f "${ids[@]}" >/dev/null 2>&1 || true
}

# own_release_script COMMIT: the commit's tree has its own harness/release.sh (0.2.0 on).
own_release_script() { git -C "$HOIST_ROOT" cat-file -e "$1:harness/release.sh" 2>/dev/null; }

# release_tarball VERSION COMMIT: prints the path of that release's module package, building it when
# it is not cached in ~/.cache/hoist/hoist-release-COMMIT (full hash):
#   - a commit with its own harness/release.sh (0.2.0 on) is built by that script, in a clone of this
#     repository checked out at the commit: how the release was made, so the package is the one its
#     users have (its jar's `--version` names the commit, as theirs does), a later change to today's
#     release.sh cannot change what the stage upgrades from, and the cache's key, the commit, is all
#     its input;
#   - an older one (0.1.0 had no release script and no .pmtignore) is its tree from `git archive`,
#     packed by today's harness/release.sh and .pmtignore, its times the commit's (SOURCE_DATE_EPOCH).
release_tarball() {
  local version=$1 commit cache src out
  commit=$(git -C "$HOIST_ROOT" rev-parse --verify -q "$2^{commit}") || {
    hoist_log "commit $2 ($version) is not in this clone's history (a shallow clone? git fetch --unshallow)"
    return 1
  }
  cache=$(hoist_cache_dir)/hoist-release-$commit
  if ! ls "$cache"/*.tar.gz >/dev/null 2>&1; then
    src=$R/src-$version
    rm -rf "$src" "$cache.tmp.$$"
    if own_release_script "$commit"; then
      hoist_log "building the release tarball of $version ($commit) by its own harness/release.sh, once: it is cached in $cache"
      git clone -q --shared --no-checkout "$HOIST_ROOT" "$src" && git -C "$src" checkout -q --detach "$commit" || return 1
      bash "$src/harness/release.sh" --out "$cache.tmp.$$" >"$R/release-$version.out" || return 1
    else
      hoist_log "building the release tarball of $version ($commit) by today's harness/release.sh, once: it is cached in $cache"
      mkdir -p "$src"
      git -C "$HOIST_ROOT" archive "$commit" | tar -x -C "$src" || return 1
      rm -rf "$src/harness" && mkdir -p "$src/harness" || return 1
      cp -r "$HOIST_ROOT/harness/release.sh" "$HOIST_ROOT/harness/lib" "$HOIST_ROOT/harness/tools" "$src/harness/" || return 1
      cp "$HOIST_ROOT/.pmtignore" "$src/" || return 1
      SOURCE_DATE_EPOCH=$(git -C "$HOIST_ROOT" log -1 --format=%ct "$commit") \
        bash "$src/harness/release.sh" --out "$cache.tmp.$$" >"$R/release-$version.out" || return 1
    fi
    # Another run that built it meanwhile wins: its folder stays, this one goes.
    mv -T "$cache.tmp.$$" "$cache" 2>/dev/null || rm -rf "$cache.tmp.$$"
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

# node_for VERSION: the node of that section: its own folder, store, data, launcher, jar, settings
# file, and the Hiera its Puppet runs read (node_hiera).
node_for() {
  NODE=$R/from-$1
  STORE=$NODE/store
  INSTALLED=$NODE/lib/hoist/hoist-cli.jar
  LAUNCHER=$NODE/bin/hoist-cli
  SETTINGS=$NODE/etc/hoist/hoist-cli.conf
  mkdir -p "$NODE/data" "$NODE/conf" "$NODE/bin" "$NODE/lib" "$NODE/etc" "$STORE" && echo "setting=1" > "$NODE/conf/web.conf" && node_hiera
}

# node_hiera: the node's paths, the Docker endpoint, and `watched`, a container Puppet alone knows:
# its machine.yaml is what the upgrade reloads (nobody starts it: no Choria here). A key a release
# does not know (hoist::settings_file before this one, hoist::manage_java before 0.2.0) is not
# looked up by it.
node_hiera() {
  local p=$NODE/puppet
  mkdir -p "$p/hieradata" "$p/var" "$p/conf" "$p/code"
  printf -- '---\nversion: 5\ndefaults:\n  datadir: %s\n  data_hash: yaml_data\nhierarchy:\n  - name: hoist\n    path: hoist.yaml\n' \
    "$p/hieradata" >"$p/hiera.yaml"
  cat >"$p/hieradata/hoist.yaml" <<YAML
---
hoist::machine_store: $STORE
hoist::cli_path: $LAUNCHER
hoist::jar_path: $INSTALLED
hoist::settings_file: $SETTINGS
hoist::docker_host: $HOIST_DOCKER_HOST
hoist::manage_java: false
hoist::purge: false
hoist::containers:
  watched:
    image: $IMAGE
    image_tag: v1
    network: none
YAML
}

# puppet_install MODULES NAME: what an upgrade by Puppet does: `puppet apply` of `include hoist`
# from the modulepath MODULES (one release's module, installed from its tarball, and Debian's
# stdlib), log $NODE/puppet/NAME.log; returns puppet's --detailed-exitcodes status (0 no change,
# 2 changes, 1/4/6 failures).
puppet_install() {
  local p=$NODE/puppet
  puppet apply --detailed-exitcodes --color=false --modulepath "$1" --hiera_config "$p/hiera.yaml" \
    --vardir "$p/var" --confdir "$p/conf" --codedir "$p/code" --logdir "$p/var/log" --rundir "$p/var/run" \
    -e 'include hoist' >"$p/$2.log" 2>&1
}
# applied MODULES NAME WANT: puppet_install exits WANT; else SAW is its log's last lines.
applied() {
  local rc
  puppet_install "$1" "$2"
  rc=$?
  SAW="exit $rc: $(grep -vi 'facter: permission denied' "$NODE/puppet/$2.log" | tail -n 5 | paste -sd' ')"
  [ "$rc" -eq "$3" ]
}

# cli ARGS...: hoist-cli as the earlier release's machines run it, through the installed launcher,
# with DOCKER_HOST and HOIST_CLI_JAR in the environment (as a machine not yet reloaded still does
# after the upgrade).
cli() { env DOCKER_HOST="$HOIST_DOCKER_HOST" HOIST_CLI_JAR="$INSTALLED" "$LAUNCHER" "$@" --store "$STORE"; }
cli_docker_java() { HOIST_CHECK_CLIENT=docker-java cli "$@"; }
# watcher ARGS...: hoist-cli as this release's machines run it: the launcher by its path, in the
# machine folder of the container (the last argument), nothing in the environment but PATH (and
# HOIST_CHECK_CLIENT when set): the launcher reads the rest from the node's settings file.
watcher() {
  local name=${*: -1}
  (cd "$STORE/hoist_$name" && env -i PATH="$PATH" ${HOIST_CHECK_CLIENT:+HOIST_CHECK_CLIENT="$HOIST_CHECK_CLIENT"} "$LAUNCHER" "$@")
}
watcher_docker_java() { HOIST_CHECK_CLIENT=docker-java watcher "$@"; }
# machine_env_is yes|no: watched's machine.yaml names DOCKER_HOST and HOIST_CLI_JAR in its watchers (yes), or no
# environment, DOCKER_HOST, HOIST_CLI_JAR or /usr/bin/env at all (no).
machine_env_is() {
  local f=$STORE/hoist_watched/machine.yaml
  SAW=$(grep -nE 'environment:|DOCKER_HOST|HOIST_CLI_JAR|/usr/bin/env' "$f" 2>&1 | head -n 4 | paste -sd' ')
  if [ "$1" = yes ]; then grep -q "DOCKER_HOST=$HOIST_DOCKER_HOST" "$f" && grep -q "HOIST_CLI_JAR=$INSTALLED" "$f"; else [ -z "$SAW" ]; fi
}
machine_sum() { sha256sum < "$STORE/hoist_watched/machine.yaml" 2>/dev/null; }
settings_hold() {
  SAW=$(grep -v '^#' "$SETTINGS" 2>&1 | paste -sd' ')
  [[ "$SAW" == "DOCKER_HOST=$HOIST_DOCKER_HOST HOIST_CLI_JAR=$INSTALLED "* ]]
}
# version_is TEXT: the installed launcher and jar print TEXT for --version, first line.
version_is() { local v; v=$(cli_version); SAW="--version: '$v'"; [ "$v" = "$1" ]; }
cli_version() { HOIST_CLI_JAR="$INSTALLED" "$LAUNCHER" --version 2>&1 | head -n 1; }

# --- the specs ---------------------------------------------------------------------------------

IMAGE=
WEB_PORT=
PROBED_PORT=
WORKER_PORT=
WORKER_GREETING=

# spec NAME JSON: writes STORE/hoist_NAME/container.json, mode 0600 as the module writes it.
spec() {
  mkdir -p "$STORE/hoist_$1"
  (umask 077 && printf '%s\n' "$2" > "$STORE/hoist_$1/container.json")
}

# What a release's user has beyond 0.1.0's keys, by container: from 0.2.0 on, the container options
# and image settings (none of the latter reach the container: they must change no label either).
# OPTIONS_SEEN: how Docker shows the options applied (docker inspect FORMAT|what it prints).
declare -A OPTIONS=() OPTIONS_SEEN=()
options_for() {
  OPTIONS=([web]= [worker]= [probed]= [plain]=)
  OPTIONS_SEEN=()
  [ "$1" = 0.1.0 ] && return 0
  OPTIONS[web]=', "memory": "64m", "memory_reservation": "32m", "cpus": 0.5,
    "labels": {"com.example.team": "web", "com.example.tier": "front"}, "ulimits": ["nofile=1024:2048"],
    "log_driver": "json-file", "log_opts": {"max-size": "1m", "max-file": "2"},
    "image_poll": "10m", "min_image_age": "1h", "keep_images": 3'
  OPTIONS_SEEN[web]='{{.HostConfig.Memory}} {{.HostConfig.MemoryReservation}} {{.HostConfig.NanoCpus}} {{index .Config.Labels "com.example.team"}} {{index .Config.Labels "com.example.tier"}} {{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}}{{end}} {{.HostConfig.LogConfig.Type}} {{json .HostConfig.LogConfig.Config}}|67108864 33554432 500000000 web front nofile=1024:2048 json-file {"max-file":"2","max-size":"1m"}'
  OPTIONS[worker]=', "read_only": true, "tmpfs": ["/run:size=8m"], "cap_drop": ["MKNOD", "CAP_NET_RAW"],
    "pids_limit": 100, "keep_images": 0'
  OPTIONS_SEEN[worker]='{{.HostConfig.ReadonlyRootfs}} {{json .HostConfig.Tmpfs}} {{json .HostConfig.CapDrop}} {{.HostConfig.PidsLimit}}|true {"/run":"size=8m"} ["MKNOD","NET_RAW"] 100'
  OPTIONS[probed]=', "init": true, "stop_signal": "SIGQUIT", "shm_size": "16m", "ulimits": ["nproc=512"]'
  OPTIONS_SEEN[probed]='{{.HostConfig.Init}} {{.Config.StopSignal}} {{.HostConfig.ShmSize}} {{range .HostConfig.Ulimits}}{{.Name}}={{.Soft}}:{{.Hard}}{{end}}|true SIGQUIT 16777216 nproc=512:512'
}

write_specs() {
  # host network, every container key but entrypoint; ports are recorded (Docker ignores them with host).
  spec web '{"name": "web", "image": "'"$IMAGE"'", "image_tag": "v1", "network": "host",
    "command": "httpd -f -p 127.0.0.1:'"$WEB_PORT"' -h /www",
    "environment": ["GREETING=hello world", "MODE=upgrade", "QUOTED=say \"hi\""],
    "volumes": ["'"$NODE"'/data:/data", "'"$NODE"'/conf:/conf:ro"], "ports": ["127.0.0.1:'"$WEB_PORT"':'"$WEB_PORT"'"],
    "syslog": false, "stop_timeout": 5, "restart_files": ["'"$NODE"'/conf/web.conf"],
    "health_command": "wget -q -O /dev/null http://127.0.0.1:'"$WEB_PORT"'/health", "start_timeout": "30s",
    "health_http": "http://127.0.0.1:'"$WEB_PORT"'/health", "health_status": 200, "min_healthy_time": "2s",
    "check_interval": "1m", "kv_update": false, "kv_interval": "15s",
    "restart_governor": "HOIST_web", "update_governor": "HOIST_web_update"'"${OPTIONS[web]}"'}'
  # no network, entrypoint and command as lists, a port on 127.0.0.1, a health_command list, start_timeout at its default.
  spec worker '{"name": "worker", "image": "'"$IMAGE"'", "image_tag": "v2", "network": "none",
    "entrypoint": ["/bin/sh", "-c"],
    "command": ["echo \"$GREETING\" > /data/worker.greeting; exec httpd -f -p 127.0.0.1:8080 -h /www"],
    "environment": ["GREETING='"$WORKER_GREETING"'"], "volumes": ["'"$NODE"'/data:/data:rw"],
    "ports": ["127.0.0.1:'"$WORKER_PORT"':8080/tcp"], "stop_timeout": 3,
    "health_command": ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"], "start_timeout": "1m",
    "kv_bucket": "HOIST", "kv_key": "worker/tag"'"${OPTIONS[worker]}"'}'
  # host network, command as a list, a TCP probe from the host, stop_timeout 0.
  spec probed '{"name": "probed", "image": "'"$IMAGE"'", "image_tag": "v1", "network": "host",
    "command": ["httpd", "-f", "-p", "127.0.0.1:'"$PROBED_PORT"'", "-h", "/www"],
    "health_tcp": "127.0.0.1:'"$PROBED_PORT"'", "stop_timeout": 0, "syslog": false'"${OPTIONS[probed]}"'}'
  # as little as there can be, the image's own command (the default network, bridge, is not there on this dockerd).
  spec plain '{"name": "plain", "image": "'"$IMAGE"'", "image_tag": "v1", "network": "none"'"${OPTIONS[plain]}"'}'
}

# respell NAME: container.json as a newer Puppet might write it: keys sorted, defaults spelled out
# (this tree's, the container options' and image settings' among them; check_interval 2m where 0.1.0
# wrote 3m, a change that must replace nothing), and the values a spec sets in other spellings of
# the same: a size in k or in bytes, a capability with or without CAP_, a ulimit's hard limit
# spelled out.
respell() {
  local f=$STORE/hoist_$1/container.json
  jq -S '{"syslog": false, "kv_update": false, "stop_timeout": 10, "check_interval": "2m", "kv_interval": "10s",
          "environment": [], "volumes": [], "ports": [], "restart_files": [], "min_healthy_time": "1s",
          "start_timeout": "60s", "keep_images": 2, "min_image_age": "0s", "labels": {}, "log_opts": {},
          "group_add": [], "dns": [], "dns_search": [], "extra_hosts": [], "cap_add": [], "cap_drop": [],
          "privileged": false, "read_only": false, "tmpfs": [], "ulimits": [], "devices": [], "init": false,
          "sysctls": {}} + .
        | if .memory == "64m" then .memory = "65536k" else . end
        | if .memory_reservation == "32m" then .memory_reservation = "33554432" else . end
        | .cap_drop |= map(if startswith("CAP_") then ltrimstr("CAP_") else "CAP_" + . end)
        | .ulimits |= map(if test(":") then . else . + ":" + ltrimstr(split("=")[0] + "=") end)' \
    "$f" > "$f.new" && chmod 600 "$f.new" && mv "$f.new" "$f"
}

# --- what the checks look at (each predicate sets SAW) ------------------------------------------

declare -A ID=() LABEL=()
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
    LABEL[$n]=$(label_of "$n")
    [ -n "${ID[$n]}" ] || abort "$n has no container"
  done
}
same_container() { local now; now=$(identity "$1"); SAW="container ${now:0:12} started ${now##* }, was ${ID[$1]:0:12} started ${ID[$1]##* }"; [ "$now" = "${ID[$1]}" ]; }
replaced() { local now; now=$(identity "$1"); SAW="container ${now:0:12}, was ${ID[$1]:0:12}"; [ -n "$now" ] && [ "${now%% *}" != "${ID[$1]%% *}" ]; }
running() { local st; st=$(hoist_docker inspect -f '{{.State.Status}}' "hoist_$1" 2>/dev/null); SAW="hoist_$1 is ${st:-missing}"; [ "$st" = running ]; }
same_and_running() { same_container "$1" && running "$1"; }
# label_form FORM NAME: the container's spec-hash label is of FORM: legacy (64 hex digits, no
# version: 0.1.0's) or v2 (`v2:` and 64 hex digits: 0.2.0's and this tree's).
label_form() {
  local l re
  l=$(label_of "$2")
  case $1 in legacy) re='^[0-9a-f]{64}$' ;; v2) re='^v2:[0-9a-f]{64}$' ;; *) re='^$.' ;; esac
  SAW="spec-hash label '$l'"
  [[ $l =~ $re ]]
}
# label_kept NAME: the label is the one remember_ids saw; label_new NAME: a v2 label, another one.
label_kept() { local l; l=$(label_of "$1"); SAW="spec-hash label '$l', was '${LABEL[$1]}'"; [ -n "$l" ] && [ "$l" = "${LABEL[$1]}" ]; }
label_new() {
  local l
  l=$(label_of "$1")
  SAW="spec-hash label '$l', was '${LABEL[$1]}'"
  [[ $l =~ ^v2:[0-9a-f]{64}$ ]] && [ "$l" != "${LABEL[$1]}" ]
}
# options_seen NAME: Docker shows the options the spec sets (OPTIONS_SEEN[NAME]: FORMAT|WANT).
options_seen() {
  local spec=${OPTIONS_SEEN[$1]} got
  got=$(hoist_docker inspect -f "${spec%%|*}" "hoist_$1" 2>&1)
  SAW="docker inspect: '$got', want '${spec#*|}'"
  [ "$got" = "${spec#*|}" ]
}
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
# A replacement is prepared as hoist_NAME-next beside the container it replaces (issue 27): those
# events are NAME's.
touched_only() {
  local got
  got=$(tail -c +"$(($1 + 1))" "$EVENTS" | awk '{ sub(/-next$/, "", $1); print $1 }' | sort -u | paste -sd' ')
  SAW="Docker saw container events for: ${got:-none} ($(tail -c +"$(($1 + 1))" "$EVENTS" | paste -sd,))"
  [ "$got" = "$2" ]
}
# saw_event CURSOR LINE: EVENTS has LINE after CURSOR.
saw_event() { SAW="events: $(tail -c +"$(($1 + 1))" "$EVENTS" | tail -n 8 | paste -sd,)"; tail -c +"$(($1 + 1))" "$EVENTS" | grep -x -- "$2" >/dev/null; }
# spelled NAME JQ WANT: jq JQ of NAME's container.json prints WANT (what respell wrote is there).
spelled() { local got; got=$(jq -r "$2" "$STORE/hoist_$1/container.json" 2>&1); SAW="$1's container.json: $2 is '$got'"; [ "$got" = "$3" ]; }
greeting_is() { local g; g=$(cat "$NODE/data/worker.greeting" 2>/dev/null); SAW="worker.greeting: '$g'"; [ "$g" = "$1" ]; }
no_hoist_containers() {
  local left
  left=$(hoist_docker ps -a --filter label=io.choria.hoist.managed=true --format '{{.Names}}' 2>&1 | paste -sd' ')
  SAW="containers: ${left:-none}"
  [ -z "$left" ]
}

# all_in_sync STEP [RUN]: every container passes check on both readers, start --if-needed replaces
# none; hoist-cli run by RUN (cli, the default, or watcher) and RUN_docker_java.
all_in_sync() {
  local n cursor run=${2:-cli}
  for n in "${NAMES[@]}"; do
    check "$1: $n: check exits 0 (lean Engine reader)" "$run" check "$n"
    check "$1: $n: check exits 0 (docker-java)" "${run}_docker_java" check "$n"
  done
  cursor=$(log_cursor "$EVENTS")
  for n in "${NAMES[@]}"; do check "$1: $n: start --if-needed exits 0" "$run" start --if-needed "$n"; done
  for n in "${NAMES[@]}"; do check "$1: $n: the same container, started at the same time, running" same_and_running "$n"; done
  # Read after the checks above: any event of the starts has been delivered by now (EVENTS_SEEN).
  check "$1: Docker saw no Hoist container created, started, stopped or removed" touched_only "$cursor" ""
  for n in "${NAMES[@]}"; do check "$1: $n: the spec-hash label the earlier release wrote" label_kept "$n"; done
}

# upgrade_from SECTION VERSION COMMIT TARBALL: the section's four steps (see the top of this file).
upgrade_from() {
  local s=$1 v=$2 commit=$3 tarball=$4 module form=${LABEL_FORM[$2]} n t cursor
  node_for "$v"
  options_for "$v"
  module=$(unpack_module "previous-$v" "$tarball") || abort "cannot install $tarball"
  WEB_PORT=$(hoist_free_port)
  PROBED_PORT=$(hoist_free_port)
  WORKER_PORT=$(hoist_free_port)
  WORKER_GREETING="hello from $v"

  step "$s.1 from $v: its Puppet installs its launcher and jar, which start the containers"
  ln -sfn "$(hoist_stdlib_dir)" "$R/previous-$v/stdlib"
  check "$v's Puppet applies (exit 2)" applied "$R/previous-$v" "$v" 2 || abort "cannot install $v with its Puppet"
  check "$v: the launcher is $v's files/hoist-cli" cmp "$LAUNCHER" "$module/files/hoist-cli"
  check "$v: the jar is $v's" cmp "$INSTALLED" "$module/files/hoist-cli.jar"
  check "$v: watched's machine carries DOCKER_HOST and HOIST_CLI_JAR in its watchers, as $v wrote them" machine_env_is yes
  before_sum=$(machine_sum)
  note "$v: ${tarball##*/} (metadata.json: version $(jq -r .version "$module/metadata.json")), --version: $(cli_version)"
  check "$v: the module is $v's (metadata.json)" test "$(jq -r .version "$module/metadata.json")" = "$v"
  # A release built by its own release.sh names its commit, as the jar its users have does.
  if own_release_script "$commit"; then
    check "$v: its jar names its commit" version_is "hoist-cli $v (commit $(git -C "$HOIST_ROOT" rev-parse "$commit^{commit}"))"
  fi
  write_specs
  cursor=$(log_cursor "$EVENTS")
  t=$SECONDS
  for n in "${NAMES[@]}"; do check "$v: $n: started by $v" cli start "$n" || abort "$v could not start $n"; done
  measured "$v: four starts" "$((SECONDS - t)) s"
  eventually "$EVENTS_SEEN" "$v: Docker's event stream is read (it saw hoist_plain start)" saw_event "$cursor" "hoist_plain start"
  for n in "${NAMES[@]}"; do
    check "$v: $n: check by $v exits 0" cli check "$n"
    check "$v: $n: labelled by $v ($form)" label_form "$form" "$n"
    [ -z "${OPTIONS_SEEN[$n]:-}" ] || check "$v: $n: the options its spec sets reached the container" options_seen "$n"
  done
  check "$v: worker runs its greeting" greeting_is "$WORKER_GREETING"
  remember_ids
  for n in "${NAMES[@]}"; do note "$v: $n: ${ID[$n]:0:12}, spec-hash label ${LABEL[$n]}"; done

  step "$s.2 from $v: this tree's Puppet in its place (launcher, jar, settings file, machines): nothing replaced"
  check "this tree's Puppet applies (exit 2)" applied "$R/this" "upgrade-$v" 2 || abort "cannot install this tree with its Puppet"
  check "$v, upgraded: the settings file holds the Docker endpoint and the jar" settings_hold
  check "$v, upgraded: watched's machine.yaml is rewritten once (Choria reloads it)" [ "$(machine_sum)" != "$before_sum" ]
  check "$v, upgraded: it carries no environment, DOCKER_HOST or HOIST_CLI_JAR" machine_env_is no
  after_sum=$(machine_sum)
  check "a second apply of this tree's Puppet changes nothing (exit 0): no second reload" applied "$R/this" "again-$v" 0
  check "$v, upgraded: watched's machine.yaml is as the first apply wrote it" [ "$(machine_sum)" = "$after_sum" ]
  check "$v: the installed jar is this tree's: $NEW_VERSION" \
    bash -c '[[ $(HOIST_CLI_JAR="$3" "$1" --version 2>&1) == "hoist-cli $2 (commit "* ]]' _ "$LAUNCHER" "$NEW_VERSION" "$INSTALLED"
  t=$SECONDS
  all_in_sync "$v, upgraded, a machine not yet reloaded (environment)"
  all_in_sync "$v, upgraded, a reloaded machine (no environment)" watcher
  measured "$v: checks and starts after the upgrade" "$((SECONDS - t)) s"
  for n in "${NAMES[@]}"; do check "$v: $n: still labelled by $v ($form)" label_form "$form" "$n"; done

  step "$s.3 from $v: container.json written again: keys in another order, defaults spelled out, other spellings"
  for n in "${NAMES[@]}"; do respell "$n" || abort "cannot rewrite $n's container.json"; done
  check "$v: plain's container.json spells out defaults (read_only, keep_images, check_interval)" \
    spelled plain '"\(.read_only) \(.keep_images) \(.check_interval)"' "false 2 2m"
  if [ -n "${OPTIONS[web]}" ]; then
    check "$v: web's container.json spells memory 65536k and memory_reservation in bytes" \
      spelled web '"\(.memory) \(.memory_reservation)"' "65536k 33554432"
    check "$v: worker's container.json spells cap_drop CAP_MKNOD and NET_RAW" spelled worker '.cap_drop | join(",")' "CAP_MKNOD,NET_RAW"
    check "$v: probed's container.json spells the ulimit's hard limit" spelled probed '.ulimits | join(",")' "nproc=512:512"
  fi
  all_in_sync "$v, respelled"

  step "$s.4 from $v: worker's GREETING changed: worker alone is replaced"
  WORKER_GREETING="hello from this release"
  write_specs
  check "$v: worker: check fails: does not match its spec" check_fails_saying "does not match its spec" cli check worker
  check "$v: worker: check fails on docker-java too" check_fails_saying "does not match its spec" cli_docker_java check worker
  for n in web probed plain; do check "$v: $n: check still exits 0" cli check "$n"; done
  cursor=$(log_cursor "$EVENTS")
  for n in "${NAMES[@]}"; do check "$v: $n: start --if-needed exits 0" cli start --if-needed "$n"; done
  check "$v: worker: replaced" replaced worker
  for n in web probed plain; do check "$v: $n: the same container, started at the same time" same_container "$n"; done
  eventually "$EVENTS_SEEN" "$v: Docker saw events for hoist_worker only" touched_only "$cursor" "hoist_worker"
  check "$v: worker runs the new greeting" greeting_is "$WORKER_GREETING"
  [ -z "${OPTIONS_SEEN[worker]:-}" ] || check "$v: worker: the options its spec sets reached the new container" options_seen worker
  check "$v: worker: a new label, v2, by this release" label_new worker
  for n in web probed plain; do check "$v: $n: the spec-hash label $v wrote" label_kept "$n"; done
  for n in "${NAMES[@]}"; do note "$v, at the end: $n: $(identity "$n" | cut -c1-12), spec-hash label $(label_of "$n")"; done
  for n in "${NAMES[@]}"; do
    check "$v: $n: check exits 0 (lean Engine reader)" cli check "$n"
    check "$v: $n: check exits 0 (docker-java)" cli_docker_java check "$n"
  done
}

# --- services and the jars ---------------------------------------------------------------------

step "services: its own dockerd and registry; the release tarballs of $(printf '%s, ' "${PREVIOUS_RELEASES[@]}" | sed 's/=\([0-9a-f]*\)/ (\1)/g')and of this tree"
unset HOIST_DOCKER_HOST HOIST_REGISTRY HOIST_NATS_URL HOIST_NATS_PORT HOIST_DOCKERD_LOG
hoist_install_packages
declare -A TARBALL=()
for rel in "${PREVIOUS_RELEASES[@]}"; do
  t=$SECONDS
  TARBALL[${rel%%=*}]=$(release_tarball "${rel%%=*}" "${rel#*=}") ||
    hoist_die "no release tarball of ${rel%%=*} (${rel#*=}) (see the build output above)"
  measured "tarball of ${rel%%=*} (cached or built)" "$((SECONDS - t)) s"
done
t=$SECONDS
NEW_TARBALL=$(hoist_release_tarball) || hoist_die "no release tarball of this tree"
measured "tarball of this tree (reused or built)" "$((SECONDS - t)) s"
NEW_MODULE=$(unpack_module this "$NEW_TARBALL") || hoist_die "cannot install $NEW_TARBALL"
ln -sfn "$(hoist_stdlib_dir)" "$R/this/stdlib"
NEW_VERSION=$(jq -r .version "$NEW_MODULE/metadata.json")
hoist_start_dockerd
hoist_start_registry
hoist_build_test_images
watch_events
IMAGE=$HOIST_REGISTRY/hoist/web
note "this tree: ${NEW_TARBALL##*/} (version $NEW_VERSION)"

section=0
for rel in "${PREVIOUS_RELEASES[@]}"; do
  section=$((section + 1))
  if [ "$section" -gt 1 ]; then
    step "$section.0 the last section's containers removed: the next release starts on a clean dockerd"
    hoist_before_stop
    check "no Hoist container left" no_hoist_containers || abort "the containers of the last section are still there"
  fi
  t=$SECONDS
  upgrade_from "$section" "${rel%%=*}" "${rel#*=}" "${TARBALL[${rel%%=*}]}"
  measured "section $section, from ${rel%%=*} (${rel#*=})" "$((SECONDS - t)) s"
done

summary
[ "$failed" -eq 0 ]
