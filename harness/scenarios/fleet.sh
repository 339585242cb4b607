#!/usr/bin/env bash
# harness/scenarios/fleet.sh: rolling updates across a fleet without outage (issue 6), measured.
#
#   bash harness/test.sh fleet        (or alone: bash harness/scenarios/fleet.sh)
#
# Three simulated nodes on this machine: three `choria server`s (node1.example .. node3.example),
# each with its own machine store and its own private dockerd (socket, data root, exec root and
# pidfile under the run folder), all on one NATS JetStream. `puppet apply` of `include hoist` per
# node writes the same container `web` (kv_update, health_http, restart_governor HOIST_web) with a
# different 127.0.0.1 port per node; the Choria Governor HOIST_web has capacity 1.
#
# A probe (harness/tools/fleet-probe.py) GETs every node's / every 100 ms through the rollouts and
# records which nodes answered 200 and with which version. Then:
#   1. v1 -> v2 by one KV write: every node ends on v2, never more than one node down at once;
#      rollout time and each node's downtime.
#   2. v2 -> v3 (broken: its httpd exits at once): one node tries it, fails its health gate, rolls
#      back to v2 and marks v3 failed in the KV (HOIST_web/TAG_failed); the others never leave v2;
#      time to rollback and the fleet's availability; `hoist-cli status` shows the failed tag.
#   3. v4 (good) clears the marker and rolls everyone forward, one node at a time.
# It prints TAP (harness/lib/scenario.sh), a table of measurements and `fleet: N passed, M failed`,
# and exits non-zero when a check failed.
#
# Services: when HOIST_REGISTRY and HOIST_NATS_URL/HOIST_NATS_PORT are set (as harness/test.sh
# exports them, with hoist/web:v1..v4 pushed), it uses those; otherwise it starts its own
# (harness/lib/common.sh). Everything it starts (Choria servers, dockerds, the probe) is stopped by pid at
# exit, after the containers in each node's dockerd are removed.
#
# Settings: HOIST_KEEP_RUN=1 keeps the run folder; HOIST_CHORIA_LOGLEVEL=debug for the server logs.
set -uo pipefail

# shellcheck source=harness/lib/choria.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/choria.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

[ "$(id -u)" -eq 0 ] || hoist_die "run as root: puppet apply writes files owned by root, dockerd needs root"

NODES=(node1 node2 node3)
CHECK_INTERVAL=5
KV_INTERVAL=2
START_TIMEOUT=10
MIN_HEALTHY=2
GOVERNOR=HOIST_web
BUCKET=HOIST_web
HOLD=35            # seconds the fleet is watched after the broken release was rolled back: it
                   # spans the other nodes' KV polls (2 s), checks (5 s) and a remediation retry
                   # (30 s), so had the failure marker not held, one of them would have tried v3
PROBE_LIMIT=480    # the probe stops by itself after this many seconds, whatever happens

# The bounds of the waits, each with why it is safe (in parentheses: what it took in a CI run).
FIRST_RUN=120   # three applies -> all in RUN on v1: Choria's scan (10 s), pulls, health-gated
                # starts under a governor of capacity 1, one node at a time (19 s)
ROLL=150        # a KV write -> every node on the new tag: three health-gated starts one at a time
                # (min_healthy_time 2 s each), KV polls 2 s, checks 5 s, REMEDIATE's retries
                # while a node waits for the governor (30 s)
MARK=120        # a broken tag -> marked failed: one node's start fails its health gate at the
                # container's first exit, rolls back, marks the tag (23 s when it waited out start_timeout)
BACK=60         # after the mark, every node serves the last good tag: the trying node's rollback
                # start (1 s); the others never left it (0.4 s)
FAIL_FAST=3     # the broken v3's first exit -> the trying node serves v2 again: the health gate
                # fails at the next poll (250 ms), then the rollback's stop, create, start (0.8 s here)
SETTLE=45       # every machine back in RUN: REMEDIATE's retries end at the next check (3 s)

scenario_begin fleet

measured() { timings+=("$1|$2"); note "measured: $1: $2"; }
section() { timings+=("$1|"); }

# The logs whose tails follow every failed point (harness/lib/scenario.sh).
scenario_logs() {
  local n
  for n in "${NODES[@]}"; do
    echo "$n hoist_web/hoist.log|$R/$n/store/hoist_web/hoist.log"
    echo "$n choria server|$R/choria/$n.example.log"
  done
}

# What the end of a failed scenario shows: machines, governor and containers as they are.
diagnose() {
  local n
  for n in "${NODES[@]}"; do note "$n: hoist_web $(hoist_machine_state "$n.example" hoist_web 2>/dev/null || echo '(not running)')"; done
  hoist_choria governor view "$GOVERNOR" 2>&1 | quote "governor |"
  for n in "${NODES[@]}"; do
    ndocker "$n" ps -a --format '{{.Names}} {{.Status}} {{.Image}}' 2>/dev/null | quote "$n containers |"
  done
}

summary() {
  [ "$failed" -eq 0 ] || diagnose
  scenario_table 72 value
  note "$(printf '%-72s %s' "fleet scenario, total" "$((SECONDS - SCENARIO_STARTED)) s")"
  scenario_result
}

# --- what the checks look at ------------------------------------------------------------------

declare -A PORT DOCKER
ndocker() { local n=$1; shift; docker --host "${DOCKER[$n]}" "$@"; }
store() { echo "$R/$1/store"; }
# Each predicate sets SAW to what it saw, the evidence of a failed point.
serves() {
  local body
  body=$(curl -fsS --max-time 2 "http://127.0.0.1:${PORT[$1]}/" 2>&1)
  SAW="$1 answered: ${body:0:200}"
  [ "$body" = "hoist-web $2" ]
}
state_is() {
  local st
  st=$(hoist_machine_state "$1.example" hoist_web 2>/dev/null)
  SAW="$1's hoist_web in state ${st:-(no answer)}"
  [ "$st" = "$2" ]
}
# all_on VERSION: every node serves VERSION and its machine is in RUN.
all_on() {
  local n
  for n in "${NODES[@]}"; do serves "$n" "$1" || return 1; done
  for n in "${NODES[@]}"; do state_is "$n" RUN || return 1; done
}
all_serve() { local n; for n in "${NODES[@]}"; do serves "$n" "$1" || return 1; done; }
# kv_value KEY: the value in the bucket (status 1 and nothing printed when the key is not set).
kv_value() { local v; v=$(hoist_choria kv get "$BUCKET" "$1" --raw 2>&1) || return 1; printf '%s\n' "$v"; }
marker_is() { local v; v=$(kv_value TAG_failed); SAW="$BUCKET/TAG_failed is ${v:-(not set)}"; [ "$v" = "$1" ]; }
# choria kv get fails with "key not found" (on stdout) for a deleted key too.
no_marker() { local out; out=$(hoist_choria kv get "$BUCKET" TAG_failed --raw 2>&1); SAW="choria kv get: $out"; grep -q 'key not found' <<<"$out"; }
not_v3() { ! grep -q ':v3' <<<"$1"; }
rolled_back() { grep -qF 'rolling back to' "$(store "$1")/hoist_web/hoist.log" 2>/dev/null; }

# hoist-cli as an operator on node1 runs it (its launcher, its store), against the shared broker.
cli() {
  local n=$1
  shift
  note "+ hoist-cli $* ($n)" >&2
  env DOCKER_HOST="${DOCKER[$n]}" HOIST_CLI_JAR="$R/$n/lib/hoist/hoist-cli.jar" \
    "$R/$n/bin/hoist-cli" "$@" --store "$(store "$n")" --server "$HOIST_NATS_URL"
}

# analyse MODE T0 T1 ARGS...: fleet-probe.py's verdict on the samples between T0 and T1.
analyse() {
  local line
  while IFS= read -r line; do
    case "$line" in
      "ok "*) ok "${line#ok }" ;;
      "FAILED "*) SAW="the probe's samples (harness/tools/fleet-probe.py)"; not_ok "${line#FAILED }" ;;
      "measured "*) line=${line#measured }; measured "${line%%|*}" "${line#*|}" ;;
      "info "*) note "${line#info }" ;;
      *) note "$line" ;;
    esac
  done < <(python3 "$HOIST_ROOT/harness/tools/fleet-probe.py" "$@" 2>&1)
}

# --- services ---------------------------------------------------------------------------------

hoist_setup_run fleet
R=$HOIST_RUN
PROBE_PID=

# At exit: the probe, the Choria servers (so that no machine starts a container again), then the
# containers in every node's dockerd; hoist_stop_all then stops the dockerds (and the rest) by pid.
hoist_before_stop() {
  [ -z "$PROBE_PID" ] || hoist_stop_pid "$PROBE_PID" probe
  hoist_stop_choria_servers
  local n ids
  for n in "${NODES[@]}"; do
    [ -n "${DOCKER[$n]:-}" ] || continue
    ids=$(ndocker "$n" ps -aq 2>/dev/null)
    # shellcheck disable=SC2086  # one id per word
    [ -z "$ids" ] || ndocker "$n" rm -f $ids >/dev/null 2>&1 || true
  done
}

step "services"
if [ -n "${HOIST_REGISTRY:-}" ] && [ -n "${HOIST_NATS_PORT:-}" ] && [ -n "${HOIST_NATS_URL:-}" ]; then
  hoist_log "using the harness's registry ($HOIST_REGISTRY) and NATS ($HOIST_NATS_URL)"
else
  hoist_install_packages
  hoist_start_dockerd   # only to build and push the test images
  hoist_start_registry
  hoist_start_nats
  hoist_build_test_images
fi
IMAGE=$HOIST_REGISTRY/hoist/web

t0=$(now)
hoist_choria_bin >/dev/null || hoist_die "no choria binary (see the build output above)"
measured "locate or build choria $HOIST_CHORIA_VERSION" "$(since "$t0") s"

hoist_ensure_jar
mkdir -p "$R/src"
cp "$HOIST_CLI_JAR" "$R/src/hoist-cli.jar" || hoist_die "cannot copy $HOIST_CLI_JAR"

step "three nodes: a dockerd and a choria server each, one NATS"
t0=$(now)
for n in "${NODES[@]}"; do
  hoist_start_dockerd "$n-docker"
  DOCKER[$n]=$HOIST_DOCKERD_HOST
  PORT[$n]=$(hoist_free_port)
  mkdir -p "$R/$n/store" "$R/$n/bin" "$R/$n/lib"
  hoist_start_choria_server "$n.example" "$(store "$n")" || hoist_die "the choria server $n.example did not start"
done
measured "three dockerds and three choria servers up" "$(since "$t0") s"

# The scenario's bucket and governor, new (the harness's NATS may hold older ones).
hoist_choria kv del "$BUCKET" --force >/dev/null 2>&1 || true
hoist_choria governor delete "$GOVERNOR" --force >/dev/null 2>&1 || true
note "+ choria kv add $BUCKET; choria kv put $BUCKET TAG v1; choria governor add $GOVERNOR 1 1m"
hoist_choria kv add "$BUCKET" >/dev/null || hoist_die "choria kv add $BUCKET failed"
hoist_choria kv put "$BUCKET" TAG v1 >/dev/null || hoist_die "choria kv put $BUCKET TAG v1 failed"
hoist_choria governor add "$GOVERNOR" 1 1m --force >/dev/null || hoist_die "choria governor add $GOVERNOR 1 1m failed"
gv=$(hoist_choria governor view "$GOVERNOR" 2>&1)
quote <<<"$gv"
check "governor $GOVERNOR exists with capacity 1" grep -qiE 'capacity: *1$' <<<"$gv"

# --- 1. puppet apply on every node -> RUN, v1 ----------------------------------------------------

hoist_puppet_setup || hoist_die "cannot set up puppet"

write_hiera() {
  local n=$1
  cat > "$R/puppet/hieradata/hoist.yaml" <<YAML
---
hoist::machine_store: $(store "$n")
hoist::cli_path: $R/$n/bin/hoist-cli
hoist::jar_path: $R/$n/lib/hoist/hoist-cli.jar
hoist::jar_source: $R/src/hoist-cli.jar
hoist::docker_host: ${DOCKER[$n]}
hoist::check_interval: ${CHECK_INTERVAL}s
hoist::kv_interval: ${KV_INTERVAL}s
hoist::kv_server: $HOIST_NATS_URL
hoist::purge: false
hoist::containers:
  web:
    image: $IMAGE
    image_tag: v1
    kv_update: true
    network: host
    stop_timeout: 1
    command: [httpd, -f, -p, "127.0.0.1:${PORT[$n]}", -h, /www]
    health_http: http://127.0.0.1:${PORT[$n]}/health
    start_timeout: ${START_TIMEOUT}s
    min_healthy_time: ${MIN_HEALTHY}s
    restart_governor: $GOVERNOR
YAML
}

step "1. puppet apply of include hoist on each node (web on ports ${PORT[node1]}, ${PORT[node2]}, ${PORT[node3]}) -> RUN, v1"
t0=$(now)
for n in "${NODES[@]}"; do
  write_hiera "$n"
  cp "$R/puppet/hieradata/hoist.yaml" "$R/$n/hiera.yaml"
  hoist_puppet_apply "$n" && rc=0 || rc=$?
  if [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ]; then
    ok "puppet apply on $n succeeded (exit $rc)"
  else
    not_ok "puppet apply on $n failed (exit $rc)"
    quote <"$R/puppet/$n.log"
    abort "puppet apply failed on $n"
  fi
done
measured "three puppet applies" "$(since "$t0") s"
eventually "$FIRST_RUN" "all three nodes serve v1 and their hoist_web machines are in RUN" all_on v1 || abort "the fleet did not come up on v1"
measured "first apply -> all three in RUN serving v1" "$(since "$t0") s"

step "probe: every node's / every 100 ms"
PROBE_OUT=$R/probe.jsonl
targets=()
for n in "${NODES[@]}"; do targets+=("$n=http://127.0.0.1:${PORT[$n]}/"); done
PROBE_PID=$(hoist_spawn probe python3 "$HOIST_ROOT/harness/tools/fleet-probe.py" probe "$PROBE_OUT" "$PROBE_LIMIT" "${targets[@]}")
eventually 10 "the probe records samples (its first, within a second of starting)" test -s "$PROBE_OUT" || abort "the probe does not run"
# A second of samples before the write: the analysis window starts at the write, and the first
# samples in it must be of the steady fleet.
sleep 1

# --- 2. v1 -> v2 by one KV write ------------------------------------------------------------------

step "2. v1 -> v2: one KV write (hoist-cli tag web v2)"
t0=$(now)
check "hoist-cli tag web v2 exits 0" cli node1 tag web v2
rolled=true
eventually "$ROLL" "every node serves v2 and is in RUN" all_on v2 || rolled=false
# A second more of samples: the window's last samples must show the fleet settled on v2.
sleep 1
t1=$(now)
section "v1 -> v2 (one KV write)"
analyse rollout "$PROBE_OUT" "$t0" "$t1" "hoist-web v1" "hoist-web v2"
$rolled || abort "the fleet did not roll out v2"

# --- 3. v2 -> v3, broken ------------------------------------------------------------------------

step "3. v2 -> v3 (broken: never healthy): one node tries it and rolls back, the others stay on v2"
t0=$(now)
events_since=$(date +%s)
check "hoist-cli tag web v3 exits 0" cli node1 tag web v3
eventually "$MARK" "a node marked v3 failed in the KV ($BUCKET/TAG_failed = v3)" marker_is v3 || abort "no node marked v3 failed"
eventually "$BACK" "every node serves v2 again" all_serve v2
consistently "$HOLD" "every node keeps serving v2" all_serve v2
eventually "$SETTLE" "every hoist_web machine is in RUN" all_on v2
t1=$(now)
section "v2 -> v3 (broken) -> rollback"
analyse broken "$PROBE_OUT" "$t0" "$t1" "hoist-web v2" "hoist-web v3"

tried=()
for n in "${NODES[@]}"; do rolled_back "$n" && tried+=("$n"); done
check "exactly one node rolled back (hoist.log 'rolling back to'): ${tried[*]:-none}" [ "${#tried[@]}" -eq 1 ]
for n in "${NODES[@]}"; do
  created=$(ndocker "$n" events --since "$events_since" --until "$(date +%s)" --filter type=container --filter event=create \
    --format '{{index .Actor.Attributes "image"}}' 2>/dev/null | tr '\n' ' ')
  if [ "${#tried[@]}" -eq 1 ] && [ "$n" = "${tried[0]}" ]; then
    check "$n (the node that tried v3) created a v3 container, then a v2 one: ${created:-none}" \
      grep -q ':v3 .*:v2 ' <<<"$created "
  else
    check "$n never created a v3 container (created since the write: ${created:-none})" not_v3 "$created"
  fi
done
if [ "${#tried[@]}" -ge 1 ]; then
  f=${tried[0]}
  # Fail fast (issue 15): from the v3 container's first exit (its die event in $f's dockerd) to the
  # first probe sample in which $f serves v2 again; the health gate no longer waits out start_timeout.
  died=$(ndocker "$f" events --since "$events_since" --until "$(date +%s)" --filter type=container --filter event=die \
    --format '{{.TimeNano}} {{index .Actor.Attributes "image"}}' 2>/dev/null | awk '$2 ~ /:v3$/ { print $1; exit }')
  if [ -n "$died" ]; then
    analyse back "$PROBE_OUT" "$(awk -v n="$died" 'BEGIN { printf "%.3f", n / 1e9 }')" "$t1" "$f" "hoist-web v2" "$FAIL_FAST"
  else
    SAW="docker events on $f: no die event of a v3 container"
    not_ok "$f's v3 container exited (a die event)"
  fi
  note "$f's hoist.log, the start that tried v3:"
  grep -E 'did not become healthy|rolling back|marked .* failed' "$(store "$f")/hoist_web/hoist.log" | quote
  status=$(cli "$f" status web 2>&1)
  quote <<<"$status"
  check "hoist-cli status web on $f shows the failed tag v3" grep -qE '^ *Failed tag: *v3( |$)' <<<"$status"
  sj=$(cli "$f" status web --json 2>/dev/null)
  failed_tag_is() { SAW="status --json: $sj"; [ "$(python3 "$HOIST_ROOT/harness/tools/doc.py" get - containers.0.failed_tag <<<"$sj")" = "$1" ]; }
  check "hoist-cli status web --json on $f: failed_tag v3" failed_tag_is v3
fi

# --- 4. v4 (good) clears the marker and rolls everyone forward -------------------------------------

step "4. v3 -> v4 (good): hoist-cli tag web v4 clears the marker, every node rolls forward"
t0=$(now)
check "hoist-cli tag web v4 exits 0" cli node1 tag web v4
check "the failure marker $BUCKET/TAG_failed is gone" no_marker
eventually "$ROLL" "every node serves v4 and is in RUN" all_on v4
# A second more of samples: the window's last samples must show the fleet settled on v4.
sleep 1
t1=$(now)
section "v2 -> v4 (one KV write after the broken v3)"
analyse rollout "$PROBE_OUT" "$t0" "$t1" "hoist-web v2" "hoist-web v4"

hoist_stop_pid "$PROBE_PID" probe
PROBE_PID=
note "probe: $(wc -l < "$PROBE_OUT") samples in all"

step "done"
summary
[ "$failed" -eq 0 ]
