#!/usr/bin/env bash
# bench/fleet-scale.sh: what a fleet of Hoist nodes costs the broker, measured against a real nats-server.
#
#   bash bench/fleet-scale.sh [NODES] [CONTAINERS] [SECONDS] [KV_INTERVAL] [CHECK_INTERVAL]
#   (defaults: 500 nodes x 10 containers for 60 s, kv_interval 10 s, status written every 30 s)
#
# Starts its own nats-server (JetStream, 127.0.0.1), builds the jar, and runs bench/FleetSim.java,
# which simulates every container's three KV polls per kv_interval and a status write per check
# (the worst case: a real node writes only on a change or every 5 minutes). Prints the broker's CPU
# (from /proc, user+system, over the run), the simulator's KV get latency percentiles and the status
# bucket's size. Stops what it started.
set -euo pipefail
source "$(dirname "$0")/../harness/lib/common.sh"
nodes=${1:-500} containers=${2:-10} seconds=${3:-60} kv=${4:-10} check=${5:-30}

hoist_install_packages
hoist_ensure_jar
hoist_setup_run fleetscale
hoist_start_nats
pid=$(awk '$2 == "nats" { p = $1 } END { print p }' "$HOIST_RUN/pids")
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks "$pid"); s0=$(date +%s.%N)
java -Xss512k -cp "$HOIST_CLI_JAR" "$HOIST_ROOT/bench/FleetSim.java" "$HOIST_NATS_URL" "$nodes" "$containers" "$kv" "$check" "$seconds" 50 "$pid"
t1=$(ticks "$pid"); s1=$(date +%s.%N)
rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status")
awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s0="$s0" -v s1="$s1" -v rss="$rss" -v n="$nodes" -v c="$containers" -v kv="$kv" -v ck="$check" 'BEGIN {
  cpu = (b - a) / hz; wall = s1 - s0
  printf "model: %d nodes x %d containers, kv_interval %ss, status every %ss: %.0f KV gets/s + %.1f writes/s offered\n", n, c, kv, ck, n*c*3/kv, n*c/ck
  printf "broker CPU, whole run (bucket set-up and tear-down included): %.1f s over %.1f s; peak RSS %d MB\n", cpu, wall, rss/1024
}'
