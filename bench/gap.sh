#!/usr/bin/env bash
# bench/gap.sh: the gap a replacement leaves (issue 27), Hoist against docker rm -f + docker run.
#
#   bash bench/gap.sh [RUNS]      (default 10 replacements of each kind, alternating)
#
# Starts the harness's private dockerd and registry, builds the jar, and runs one container web
# (busybox httpd on a loopback port, --net host). A watcher (bench/gap.py) GETs its / every 2 ms;
# the gap of one replacement is the time from the last answer of the old container to the first
# answer of the new one. Alternately:
#   hoist   hoist-cli restart web: the new container is created beside the running one (as
#           hoist_web-next), then the old one is stopped (SIGTERM; httpd exits at once) and
#           removed, the new one renamed and started, then health-gated (which the gap does not
#           include: it ends at the first answer)
#   docker  docker rm -f hoist_web && docker run -d ... (the same image, command and options),
#           what an operator or a script without Hoist does
# No register_ports: no drain wait, which would add drain_time to the first and is not a gap a
# client that follows the registry sees. Prints each kind's median, min and max gap and the ratio
# of the medians. Stops everything it started.
set -euo pipefail
source "$(dirname "$0")/../harness/lib/common.sh"
runs=${1:-10}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || hoist_die "RUNS is a whole number, got '$runs'"

hoist_install_packages
hoist_build_jar
hoist_setup_run gap
WATCH_PID=
hoist_before_stop() {
  [ -z "$WATCH_PID" ] || hoist_stop_pid "$WATCH_PID" watcher
  hoist_remove_containers
}
hoist_start_dockerd
hoist_start_registry
hoist_build_test_images

export DOCKER_HOST=$HOIST_DOCKER_HOST
store=$HOIST_RUN/store
port=$(hoist_free_port)
image=$HOIST_REGISTRY/hoist/web:v1
mkdir -p "$store/hoist_web"
cat > "$store/hoist_web/container.json" <<JSON
{"name": "web", "image": "$HOIST_REGISTRY/hoist/web", "image_tag": "v1", "network": "host", "stop_timeout": 5,
 "command": "httpd -f -p 127.0.0.1:$port -h /www", "health_http": "http://127.0.0.1:$port/", "min_healthy_time": "1s"}
JSON
cli() { HOIST_CLI_JAR=$HOIST_CLI_JAR "$HOIST_ROOT/files/hoist-cli" "$@" --store "$store"; }
cli start web >/dev/null

out=$HOIST_RUN/gap.log
WATCH_PID=$(hoist_spawn gap-watch python3 "$HOIST_ROOT/bench/gap.py" watch "http://127.0.0.1:$port/" "$out")
up() { curl -sf -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; }
wait_up() { local i; for i in $(seq 1 100); do up && return 0; sleep 0.1; done; hoist_die "web does not answer on $port"; }
wait_up
sleep 1

declare -A all
for i in $(seq 1 "$runs"); do
  for kind in hoist docker; do
    t0=$(date +%s.%N)
    if [ "$kind" = hoist ]; then
      cli restart web >/dev/null
    else
      # What Hoist's labels would be does not matter to the gap; the same image, command and network.
      hoist_docker rm -f hoist_web >/dev/null
      hoist_docker run -d --name hoist_web --net host "$image" httpd -f -p "127.0.0.1:$port" -h /www >/dev/null
    fi
    wait_up
    sleep 0.5
    t1=$(date +%s.%N)
    g=$(python3 "$HOIST_ROOT/bench/gap.py" gaps "$out" "$t0" "$t1" | paste -sd+ | bc)
    all[$kind]="${all[$kind]:-} ${g:-0}"
    if [ "$kind" = docker ]; then
      # Back to a container Hoist made, for the next hoist-cli restart.
      hoist_docker rm -f hoist_web >/dev/null
      cli start web >/dev/null
      wait_up
      sleep 0.5
    fi
  done
done

stats() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { printf "%d %d %d %d", a[int((NR + 1) / 2)], a[1], a[NR], NR }'; }
read -r hm hmin hmax hn <<<"$(stats "${all[hoist]}")"
read -r dm dmin dmax dn <<<"$(stats "${all[docker]}")"
printf '\ngap: old container stops answering -> new one answers (ms), %s replacements each, alternating\n' "$runs"
printf '%-44s %8s %8s %8s\n' replacement median min max
printf '%-44s %8d %8d %8d\n' "hoist-cli restart (prepared, stop + start)" "$hm" "$hmin" "$hmax"
printf '%-44s %8d %8d %8d\n' "docker rm -f + docker run" "$dm" "$dmin" "$dmax"
awk -v h="$hm" -v d="$dm" 'BEGIN { printf "ratio of medians, hoist / docker: %.2f\n", (d > 0 ? h / d : 0) }'
printf 'hoist gaps: %s\ndocker gaps: %s\n' "${all[hoist]# }" "${all[docker]# }"
