#!/usr/bin/env bash
# harness/scenarios/faults.sh: Hoist survives faults and operators (issue 12), under a real Choria.
#
#   bash harness/test.sh faults      (or alone: bash harness/scenarios/faults.sh)
#
# One container, `web` (busybox httpd on 127.0.0.1 with host networking, health_http, kv_update
# through the KV with hoist::kv_server), applied by Puppet into the store of a real `choria
# server`, while a probe (harness/tools/fleet-probe.py) GETs it every 100 ms. Then, one at a time:
#   1. two `hoist-cli restart web` from two shells at once, while the machine remediates a
#      `docker kill`: no exit 70, each exits 0 (the second waits for the first's lock);
#   2. a damaged hoist-state.json (nulls, wrong types): check, restart and status carry on;
#   3. a malformed container.json: check says so in one line (exit 2) and the running container
#      is left serving; the next puppet apply mends it;
#   4. a second container on web's port: its start fails its health gate, and hoist.log and
#      `hoist-cli status` say why (the container's own output: httpd cannot bind); once it leaves
#      Hiera, the purge machine removes it, and web was never touched;
#   5. dockerd stopped and started again: the container is back, serving;
#   6. NATS stopped for 30 s, then started again: no downtime, and a KV write after it serves;
#   7. the registry stopped during an update: the running container keeps serving; once the
#      registry is back, the new tag serves.
# Each step measures web's downtime from the probe; the scenario passes only with no exit 70
# (no stack trace) in any hoist.log and no `exit status 70` in the Choria server's log, and web
# serving at the end. It prints TAP, a table of the downtimes and `faults: N passed, M failed`.
#
# Services: always its own dockerd, registry and NATS (harness/lib/common.sh), since it stops and
# starts them; its own Choria server. Everything it starts is stopped by pid at exit, after its
# containers are removed. Settings: HOIST_KEEP_RUN=1 keeps the run folder.
set -uo pipefail

# shellcheck source=harness/lib/choria.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/choria.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

[ "$(id -u)" -eq 0 ] || hoist_die "run as root: puppet apply writes files owned by root, dockerd needs root"

IDENTITY=faults1.example
CHECK_INTERVAL=5
KV_INTERVAL=2
PROBE_LIMIT=900    # the probe stops by itself after this many seconds, whatever happens

# The bounds of the waits, each with why it is safe (in parentheses: what it took in a CI run).
FIRST_RUN=120   # apply -> RUN and serving: Choria's scan (10 s), a pull, a health-gated start (10 s)
REMEDIATE=90    # a failed check -> serving again: check every 5 s, Choria's transition rate limit
                # (up to 5 s each), two restarts waiting on each other's lock, a start each (10 s)
MENDED=90       # an apply that mends container.json -> RUN: REMEDIATE's next try (every 30 s)
                # finds the container healthy and leaves it (20 s)
FAILED_START=90 # a start on a taken port fails its gate: start_timeout 10 s after the clash
                # machine's first start (Choria's scan, 10 s) (25 s)
PURGED=120      # a container that left Hiera is gone: the purge machine (every 5 s) removes
                # machine.yaml, and a run 30 s (--stop-wait) later the folder and container (40 s)
DOCKERD_BACK=90 # dockerd started again -> serving: dockerd's start and the restart policy (3 s)
KV_ROLL=90      # a KV write after NATS came back -> serving the tag: Choria's reconnect (a few s),
                # a KV poll (2 s), update, remediation (10 s)
REGISTRY_BACK=150  # registry back -> serving the new tag: REMEDIATE retries every 30 s, with
                   # Hoist's back-off after failed pulls (30 s, doubling) (35 s)
# The "consistently" holds: each spans the events that would break it.
HOLD_CHECKS=$((CHECK_INTERVAL * 2 + 2))  # two checks, and the remediation they would start
NATS_DOWN=30                             # the issue's 30 s without NATS
HOLD_REGISTRY=$((KV_INTERVAL * 3 + CHECK_INTERVAL * 2))  # KV polls, updates and checks that fail to pull

scenario_begin faults

measured() { timings+=("$1|$2"); note "measured: $1: $2"; }

# The logs whose tails follow every failed point (harness/lib/scenario.sh).
scenario_logs() {
  echo "choria server|$SLOG"
  echo "hoist_web/hoist.log|$STORE/hoist_web/hoist.log"
  [ -f "$STORE/hoist_clash/hoist.log" ] && echo "hoist_clash/hoist.log|$STORE/hoist_clash/hoist.log"
  echo "dockerd|${HOIST_DOCKERD_LOG:-}"
}

# What the end of a failed scenario shows: the machines and containers as they are.
diagnose() {
  local m
  for m in hoist_web hoist_clash; do note "machine $m: $(hoist_machine_state "$IDENTITY" "$m" 2>/dev/null || echo '(not running)')"; done
  hoist_docker ps -a --format '{{.Names}} {{.Status}} {{.Image}}' 2>/dev/null | quote containers
}

summary() {
  [ "$failed" -eq 0 ] || diagnose
  scenario_table 60 "value"
  note "$(printf '%-60s %s' "faults scenario, total" "$((SECONDS - SCENARIO_STARTED)) s")"
  scenario_result
}

# --- what the checks look at (each predicate sets SAW) -----------------------------------------

serves() {
  local body
  body=$(curl -fsS --max-time 2 "http://127.0.0.1:$PORT/" 2>&1)
  SAW="web answered: ${body:0:200}"
  [ "$body" = "hoist-web $1" ]
}
running_id() { hoist_docker ps -q --no-trunc --filter "label=io.choria.hoist.name=$1" --filter status=running 2>/dev/null; }
state_is() {
  local st
  st=$(hoist_machine_state "$IDENTITY" "hoist_$1" 2>/dev/null)
  SAW="hoist_$1 in state ${st:-(no answer, or not running)}"
  [ "$st" = "$2" ]
}
# up VERSION: in RUN, web's own container running, and the port serving VERSION (the port alone
# could be served by another container on it).
up() { state_is web RUN && { SAW="no running container of web"; [ -n "$(running_id web)" ]; } && serves "$1"; }
same_and_serving() { local id; id=$(running_id web); SAW="container ${id:0:12} (was ${1:0:12})"; [ "$id" = "$1" ] && serves "$2"; }
no_container() { local ids; ids=$(hoist_docker ps -aq --filter "label=io.choria.hoist.name=$1" 2>/dev/null); SAW="containers: $ids"; [ -z "$ids" ]; }
# A stack trace line (what an unexpected error, exit 70, prints) in a hoist.log.
no_stack_trace() {
  local hits
  hits=$(grep -hE '\(([A-Za-z0-9_$]+\.java:[0-9]+|Native Method|Unknown Source)\)|Exception in thread' "$STORE"/hoist_*/hoist.log 2>/dev/null | head -3)
  SAW="hoist.log: $hits"
  [ -z "$hits" ]
}
no_exit_70_in_server_log() { SAW=$(grep -F 'exit status 70' "$SLOG" | head -2); [ -z "$SAW" ]; }
# exits_one_of "CODES" COMMAND...: COMMAND's exit code is one of CODES (space separated).
exits_one_of() {
  local want=$1 rc
  shift
  "$@"
  rc=$?
  SAW="exit $rc"
  [[ " $want " == *" $rc "* ]]
}
log_of() { echo "$STORE/hoist_$1/hoist.log"; }
# pid_of NAME: the newest pid hoist_spawn recorded as NAME (a service started again is recorded again).
pid_of() { awk -v n="$1" '$2 == n { p = $1 } END { print p }' "$R/pids"; }
# remember_web WHEN: old=web's running container id (not in $(...): abort must end the scenario);
# the scenario stops when there is none (a step that compares ids would compare with nothing).
remember_web() { old=$(running_id web); [ -n "$old" ] || abort "web has no running container $1"; }

# hoist-cli as an operator runs it: the installed launcher, the store; --server where it reads the KV.
# (The command is noted on fd 3, the scenario's own output, so that what a caller captures is
# hoist-cli's alone.)
exec 3>&1
cli() {
  note "+ hoist-cli $*" >&3
  env DOCKER_HOST="$HOIST_DOCKER_HOST" HOIST_CLI_JAR="$R/lib/hoist/hoist-cli.jar" "$R/bin/hoist-cli" "$@" --store "$STORE"
}
cli_kv() { cli "$@" --server "$HOIST_NATS_URL"; }

# window LABEL T0: web's downtime from T0 to now, from the probe's samples.
window() {
  local line
  while IFS= read -r line; do
    case "$line" in
      "measured "*) line=${line#measured }; measured "${line%%|*}" "${line#*|}" ;;
      "FAILED "*) not_ok "${line#FAILED }" ;;
      *) note "$line" ;;
    esac
  done < <(python3 "$HOIST_ROOT/harness/tools/fleet-probe.py" outage "$PROBE_OUT" "$2" "$(now)" "$1" 2>&1)
}

# --- services ---------------------------------------------------------------------------------

hoist_setup_run faults
R=$HOIST_RUN
STORE=$R/store
SLOG=$R/choria/$IDENTITY.log
PROBE_PID=

hoist_before_stop() {
  [ -z "$PROBE_PID" ] || hoist_stop_pid "$PROBE_PID" probe
  hoist_stop_choria_servers
  local ids
  ids=$(hoist_docker ps -aq 2>/dev/null)
  # shellcheck disable=SC2086  # one id per word
  [ -z "$ids" ] || hoist_docker rm -f $ids >/dev/null 2>&1 || true
}

step "services: its own dockerd, registry and NATS (it stops and starts them), a Choria server"
unset HOIST_DOCKER_HOST HOIST_REGISTRY HOIST_NATS_URL HOIST_NATS_PORT HOIST_DOCKERD_LOG
scenario_services
hoist_choria_bin >/dev/null || hoist_die "no choria binary (see the build output above)"
hoist_ensure_jar
mkdir -p "$STORE" "$R/bin" "$R/lib" "$R/etc" "$R/src"
cp "$HOIST_CLI_JAR" "$R/src/hoist-cli.jar" || hoist_die "cannot copy $HOIST_CLI_JAR"
hoist_start_choria_server "$IDENTITY" "$STORE" || hoist_die "the choria server did not start"
hoist_puppet_setup || hoist_die "cannot set up puppet"
hoist_choria kv add HOIST_web >/dev/null || hoist_die "choria kv add HOIST_web failed"
hoist_choria kv put HOIST_web TAG v1 >/dev/null || hoist_die "choria kv put HOIST_web TAG v1 failed"

PORT=$(hoist_free_port)
IMAGE=$HOIST_REGISTRY/hoist/web

# write_hiera [with_clash]: web, and with `clash` a second container on the same port.
write_hiera() {
  cat > "$R/puppet/hieradata/hoist.yaml" <<YAML
---
hoist::machine_store: $STORE
hoist::cli_path: $R/bin/hoist-cli
hoist::jar_path: $R/lib/hoist/hoist-cli.jar
hoist::settings_file: $R/etc/hoist/hoist-cli.conf
hoist::jar_source: $R/src/hoist-cli.jar
hoist::docker_host: $HOIST_DOCKER_HOST
hoist::check_interval: ${CHECK_INTERVAL}s
hoist::kv_interval: ${KV_INTERVAL}s
hoist::kv_server: $HOIST_NATS_URL
hoist::purge_interval: 5s
hoist::containers:
  web:
    image: $IMAGE
    image_tag: v1
    kv_update: true
    network: host
    stop_timeout: 1
    command: [httpd, -f, -p, "127.0.0.1:$PORT", -h, /www]
    health_http: http://127.0.0.1:$PORT/health
    start_timeout: 10s
    min_healthy_time: 1s
YAML
  if [ "${1:-}" = with_clash ]; then
    cat >> "$R/puppet/hieradata/hoist.yaml" <<YAML
  clash:
    image: $IMAGE
    image_tag: v1
    network: host
    stop_timeout: 1
    command: [httpd, -f, -p, "127.0.0.1:$PORT", -h, /www]
    health_http: http://127.0.0.1:$PORT/health
    start_timeout: 10s
    min_healthy_time: 1s
YAML
  fi
}

apply() {
  local rc
  hoist_puppet_apply "$1" && rc=0 || rc=$?
  SAW="puppet apply exited $rc"
  if [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ]; then return 0; fi
  quote <"$R/puppet/$1.log"
  return 1
}

# --- 0. web up, the probe on ---------------------------------------------------------------------

step "0. puppet apply: web serves v1; the probe GETs it every 100 ms"
write_hiera
check "puppet apply succeeds" apply first || abort "the first puppet apply failed"
eventually "$FIRST_RUN" "hoist_web is in RUN, serving v1" up v1 || abort "web never came up"
PROBE_OUT=$R/probe.jsonl
PROBE_PID=$(hoist_spawn probe python3 "$HOIST_ROOT/harness/tools/fleet-probe.py" probe "$PROBE_OUT" "$PROBE_LIMIT" "web=http://127.0.0.1:$PORT/")
eventually 10 "the probe records samples (its first, within a second of starting)" test -s "$PROBE_OUT" || abort "the probe does not run"

# --- 1. two restarts at once while the machine remediates --------------------------------------

step "1. docker kill, and two hoist-cli restart web at the same moment while the machine remediates"
t0=$(now)
note "+ docker kill hoist_web; hoist-cli restart web & hoist-cli restart web &"
hoist_docker kill hoist_web >/dev/null
cli_kv restart web >"$R/restart-a.out" 2>&1 &
a=$!
cli_kv restart web >"$R/restart-b.out" 2>&1 &
b=$!
wait "$a"; rc_a=$?
wait "$b"; rc_b=$?
quote "restart A (exit $rc_a) |" <"$R/restart-a.out"
quote "restart B (exit $rc_b) |" <"$R/restart-b.out"
SAW="exit $rc_a"
check "the first restart exits 0 (no exit 70: the lock makes the two take turns)" [ "$rc_a" -eq 0 ]
SAW="exit $rc_b"
check "the second restart exits 0" [ "$rc_b" -eq 0 ]
eventually "$REMEDIATE" "web serves v1 again, hoist_web in RUN" up v1
window "two restarts while remediating" "$t0"
check "no stack trace (exit 70) in hoist.log" no_stack_trace

# --- 2. a damaged state file ---------------------------------------------------------------------

step "2. a damaged hoist-state.json (nulls and wrong types): check, restart and status carry on"
t0=$(now)
printf '{"format": 99, "lastGood": {"image": null, "tag": 7}, "failed": [], "startFailures": {"ref": null, "count": "many", "retryAfter": {}}}\n' \
  >"$STORE/hoist_web/hoist-state.json"
check "hoist-cli check web exits 0 (the container is as specified)" cli check web
check "hoist-cli status web exits 0" cli_kv status web
check "hoist-cli restart web exits 0" cli_kv restart web
eventually "$REMEDIATE" "web serves v1, hoist_web in RUN" up v1
window "damaged state file, then a restart" "$t0"
check "no stack trace (exit 70) in hoist.log" no_stack_trace

# --- 3. a malformed container.json ---------------------------------------------------------------

step "3. a malformed container.json: one line, exit 2, the running container left alone; the next apply mends it"
t0=$(now)
remember_web "before this step"
printf '{"name": "web", "image": ' >"$STORE/hoist_web/container.json"
cli check web >"$R/check.out" 2>&1
rc=$?
quote "check (exit $rc) |" <"$R/check.out"
SAW="exit $rc"
check "hoist-cli check web exits 2 (bad input)" [ "$rc" -eq 2 ]
SAW="$(wc -l <"$R/check.out") lines"
check "with one line on stderr, naming container.json" \
  bash -c '[ "$(wc -l <"$1")" -eq 1 ] && grep -q "container.json" "$1"' _ "$R/check.out"
consistently "$HOLD_CHECKS" "the same container keeps serving v1 while the machine's check and remediation fail" \
  same_and_serving "$old" v1
check "puppet apply mends container.json" apply mend
eventually "$MENDED" "hoist_web is in RUN again" up v1
check "the same container still serves (it never changed)" same_and_serving "$old" v1
window "malformed container.json" "$t0"

# --- 4. a port collision -------------------------------------------------------------------------

step "4. a second container on web's port: its start fails, and says why; web keeps serving"
t0=$(now)
remember_web "before this step"
write_hiera with_clash
check "puppet apply adds clash" apply clash
# bind_failure_logged: clash's hoist.log names the container's own complaint (busybox httpd: bind).
bind_failure_logged() { SAW=$(grep -F 'did not become healthy' "$(log_of clash)" 2>/dev/null | tail -n 1); grep -q 'bind' <<<"$SAW"; }
eventually "$FAILED_START" "clash's hoist.log says its start failed, with the container's output (httpd: bind ...)" bind_failure_logged
note "hoist_clash's hoist.log: $(grep -F 'did not become healthy' "$(log_of clash)" | tail -n 1 | cut -c1-400)"
status=$(cli_kv status clash 2>&1)
quote <<<"$status"
SAW=$(grep -i 'last failure' <<<"$status")
check "hoist-cli status clash shows the last failure and why (bind)" grep -qiE 'last failure:.*bind' <<<"$status"
check "web is the same container, still serving v1" same_and_serving "$old" v1
write_hiera
check "puppet apply without clash" apply noclash
# clash must be gone before dockerd restarts: its restart policy would start it again there, and
# whichever of the two binds the port first would serve it.
eventually "$PURGED" "the purge machine removed clash's container (machine first, container 30 s later)" no_container clash
check "web is still the same container, serving v1" same_and_serving "$old" v1
window "port collision (clash added, failing, purged)" "$t0"

# --- 5. dockerd restarted ------------------------------------------------------------------------

step "5. dockerd stopped and started again: web is back"
t0=$(now)
dockerd_pid=$(pid_of dockerd)
note "+ kill -TERM $dockerd_pid (dockerd), then start it again on the same data root"
hoist_stop_pid "$dockerd_pid" dockerd
hoist_start_dockerd
eventually "$DOCKERD_BACK" "web serves v1 again, hoist_web in RUN" up v1 &&
  measured "dockerd started again -> serving" "$WAITED s"
window "dockerd restart" "$t0"
check "no stack trace (exit 70) in hoist.log" no_stack_trace

# --- 6. NATS down for 30 s -----------------------------------------------------------------------

step "6. NATS stopped for ${NATS_DOWN}s, then started again: no downtime; a KV write after it serves"
t0=$(now)
remember_web "before NATS stops"
nats_pid=$(pid_of nats)
note "+ kill -TERM $nats_pid (nats-server)"
hoist_stop_pid "$nats_pid" nats
consistently "$NATS_DOWN" "without NATS, the same container keeps serving v1" same_and_serving "$old" v1
hoist_start_nats --again
window "NATS stopped for ${NATS_DOWN}s" "$t0"
t0=$(now)
eventually 30 "hoist-cli tag web v2 (the KV answers again) exits 0" cli_kv tag web v2
eventually "$KV_ROLL" "web serves v2 after the write" up v2 &&
  measured "NATS back: KV write -> serving v2" "$(since "$t0") s"

# --- 7. the registry down during an update -------------------------------------------------------

step "7. the registry stopped, then a KV write of v4: web keeps serving v2; registry back -> v4"
t0=$(now)
remember_web "before the registry stops"
registry_pid=$(pid_of registry)
note "+ kill -TERM $registry_pid (docker-registry)"
hoist_stop_pid "$registry_pid" registry
check "hoist-cli tag web v4 exits 0" cli_kv tag web v4
consistently "$HOLD_REGISTRY" "with no registry, the same container keeps serving v2 (the pull fails, nothing is stopped)" \
  same_and_serving "$old" v2
pull_failure_logged() { SAW=$(grep -ciE 'pull|image unavailable' "$(log_of web)"); grep -qiE 'v4.*(pull|unavailable)|(pull|unavailable).*v4' "$(log_of web)"; }
check "hoist.log says v4 could not be pulled" pull_failure_logged
hoist_start_registry --again
t1=$(now)
eventually "$REGISTRY_BACK" "once the registry is back, web serves v4" up v4 &&
  measured "registry back -> serving v4" "$(since "$t1") s"
window "registry stopped during an update" "$t0"

# --- the end -------------------------------------------------------------------------------------

step "the end: no exit 70 anywhere, web serving"
check "no stack trace (exit 70) in any hoist.log" no_stack_trace
check "no exit status 70 in the Choria server's log" no_exit_70_in_server_log
check "web serves v4, hoist_web in RUN" up v4
hoist_stop_pid "$PROBE_PID" probe
PROBE_PID=
note "probe: $(wc -l <"$PROBE_OUT") samples in all"
step "done"
summary
[ "$failed" -eq 0 ]
