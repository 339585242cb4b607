#!/usr/bin/env bash
# bench/fleet-rollout.sh: one rollout across NODES simulated Hoist nodes, against a real 3-server
# NATS cluster on loopback, with go-choria's own governor (issue 29).
#
#   bash bench/fleet-rollout.sh NODES [CAPACITY] [CANARY] [KV_INTERVAL] [REPLACE_MS] [FAIL_RATE] [broken]
#   (defaults: capacity 10, canary 1, kv_interval 10 s, a replacement takes 2000 ms, no failures;
#    "broken": the new tag never passes the health gate, and no canary phase unless CANARY says so)
#
# Starts three nats-servers (JetStream, routes on 127.0.0.1; the buckets and the governor at 3
# replicas), builds the jar and bench/governor (go-choria v0.30.2's governor package, built from the
# Go module proxy and cached outside the repository, as harness/lib/choria.sh caches Choria), then
# runs bench/RolloutSim.java: every node's decisions are hoist-cli's own classes, every KV operation
# the real jnats client, every governor slot go-choria's. Prints the time to the last node on the new
# tag, each broker's CPU, the KV operation rate and latencies, the governor waits, the canary slots
# taken, the nodes left behind, the status bucket's size, and then `hoist-cli rollout status` over
# those nodes (wall time, peak RSS). Exit 3 when an invariant is broken (canary slots taken != CANARY,
# a node left behind, more nodes tried a broken release than the governor admits), 2 on a time-out.
# Stops what it started, by pid. Extra settings: HOIST_SIM_THREADS, HOIST_SIM_LIMIT (seconds),
# HOIST_SIM_PULL_MS, HOIST_SIM_GOVERNOR_TIMEOUT (seconds), HOIST_SIM_ALIGNED=1 (every node's kv
# watchers poll in step, as after a fleet-wide Choria restart in the same second; default: spread),
# HOIST_SIM_OLD_CLAIMS=1 (canary slots claimed as before issue 29, to measure the change against).
set -euo pipefail
source "$(dirname "$0")/../harness/lib/common.sh"
nodes=${1:?usage: fleet-rollout.sh NODES [CAPACITY] [CANARY] [KV_INTERVAL] [REPLACE_MS] [FAIL_RATE] [broken]}
capacity=${2:-10} canary=${3:-1} kv=${4:-10} replace=${5:-2000} failrate=${6:-0} broken=${7:-}

hoist_install_packages
hoist_ensure_jar

# bench/governor, built once per source and cached (not in the repository).
governor_bin() {
  local src=$HOIST_ROOT/bench/governor sum cache work
  sum=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-12)
  cache="${HOIST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/hoist}/governor-sim-$sum"
  if [ ! -x "$cache/governor-sim" ]; then
    source "$HOIST_ROOT/harness/lib/choria.sh"
    hoist_find_go >&2 || return 1
    mkdir -p "$cache"
    work=$(mktemp -d "$cache/build.XXXXXX")
    cp "$src/main.go" "$src/go.mod" "$src/go.sum" "$work/"
    hoist_log "building bench/governor (go-choria v0.30.2's governor package) in $work"
    (cd "$work" && GOFLAGS="-mod=mod -buildvcs=false" "$HOIST_GO" build -trimpath -o "$cache/governor-sim" .) >&2 || { rm -rf "$work"; return 1; }
    rm -rf "$work"
  fi
  printf '%s\n' "$cache/governor-sim"
}
gov=$(governor_bin) || hoist_die "cannot build bench/governor"

hoist_setup_run fleetrollout
declare -A NPORT RPORT
pids= urls=
for i in 1 2 3; do NPORT[$i]=$(hoist_free_port); RPORT[$i]=$(hoist_free_port); done
for i in 1 2 3; do
  routes=
  for j in 1 2 3; do [ "$j" = "$i" ] || routes+="\"nats-route://127.0.0.1:${RPORT[$j]}\", "; done
  mkdir -p "$HOIST_RUN/nats$i"
  cat > "$HOIST_RUN/nats$i.conf" <<CONF
server_name: sim-nats$i
listen: 127.0.0.1:${NPORT[$i]}
max_payload: 1MB
jetstream { store_dir: "$HOIST_RUN/nats$i" }
cluster { name: hoist-sim, listen: "127.0.0.1:${RPORT[$i]}", routes: [${routes%, }] }
CONF
  pid=$(hoist_spawn "nats$i" nats-server -c "$HOIST_RUN/nats$i.conf")
  pids+="$pid," urls+="nats://127.0.0.1:${NPORT[$i]},"
done
for i in 1 2 3; do
  hoist_wait_for 30 "nats-server $i at 127.0.0.1:${NPORT[$i]}" bash -c "exec 3<>/dev/tcp/127.0.0.1/${NPORT[$i]}"
done
urls=${urls%,} pids=${pids%,}
hoist_log "NATS cluster: $urls (pids $pids)"

load() { cut -d' ' -f1-3 /proc/loadavg; }
load0=$(load)
args=(--servers "$urls" --nodes "$nodes" --capacity "$capacity" --canary "$canary" --kv-interval "$kv" --replace-ms "$replace"
  --fail-rate "$failrate" --governor-bin "$gov" --broker-pids "$pids" --threads "${HOIST_SIM_THREADS:-24}"
  --limit "${HOIST_SIM_LIMIT:-1800}" --pull-ms "${HOIST_SIM_PULL_MS:-500}" --governor-timeout "${HOIST_SIM_GOVERNOR_TIMEOUT:-300}")
[ "$broken" = broken ] && args+=(--broken)
[ -n "${HOIST_SIM_ALIGNED:-}" ] && args+=(--aligned)
[ -n "${HOIST_SIM_OLD_CLAIMS:-}" ] && args+=(--old-claims)
rc=0
# In the background, its pid recorded, so that an interrupted run stops it with the brokers (its
# governor program ends with it: its stdin closes).
java -Xss512k -Xmx1g -cp "$HOIST_CLI_JAR" "$HOIST_ROOT/bench/RolloutSim.java" "${args[@]}" &
sim=$!
echo "$sim rolloutsim" >> "$HOIST_RUN/pids"
wait "$sim" || rc=$?
load1=$(load)

# rollout status, as an operator runs it: a fresh hoist-cli over every node's report.
status_out=$HOIST_RUN/status.out
/usr/bin/time -f '%e %M' -o "$HOIST_RUN/status.time" java -cp "$HOIST_CLI_JAR" io.choria.hoist.Main rollout status web \
  --server "$urls" --store "$HOIST_RUN/no-store" > "$status_out" 2> "$HOIST_RUN/status.err" || true
read -r swall srss < <(tail -n 1 "$HOIST_RUN/status.time")
printf 'hoist-cli rollout status over %d nodes: %.2f s wall, peak RSS %d MB; it printed %d lines, beginning:\n' "$nodes" "$swall" \
  $((srss / 1024)) "$(wc -l < "$status_out")"
head -n 3 "$status_out" | cut -c1-160 | sed 's/^/  /'
head -n 2 "$HOIST_RUN/status.err" | cut -c1-160 | sed 's/^/  stderr: /'
printf 'load average (1, 5, 15 min) before / after: %s / %s, on %d cores\n' "$load0" "$load1" "$(nproc)"
case $rc in
  0) echo "invariants: ok" ;;
  2) echo "the rollout did not finish within the limit"; exit 2 ;;
  *) echo "invariants: BROKEN (exit $rc)"; exit 3 ;;
esac
