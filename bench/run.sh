#!/usr/bin/env bash
# bench/run.sh: what hoist-cli costs, measured against the shell and docker CLI commands it replaces.
#
#   bash bench/run.sh [RUNS]      (default 30 runs of each command, alternating)
#
# Starts the harness's private dockerd and registry, builds the jar, starts one container with
# hoist-cli, then runs each hoist-cli command through the launcher (files/hoist-cli, as a node
# runs it) and its counterpart alternately, and prints medians, ratios and peak memory
# (bench/measure.py). Stops everything it started.
set -euo pipefail
source "$(dirname "$0")/../harness/lib/common.sh"
runs=${1:-30}

hoist_install_packages
hoist_build_jar
hoist_setup_run bench
hoist_before_stop() {
  local ids
  ids=$(hoist_docker ps -aq 2>/dev/null || true)
  [ -z "$ids" ] || hoist_docker rm -f $ids >/dev/null 2>&1 || true
}
hoist_start_dockerd
hoist_start_registry
hoist_build_test_images

# The jar in a folder of its own, as on a node, so the launcher keeps its CDS archive beside it.
mkdir -p "$HOIST_RUN/lib" "$HOIST_RUN/store/hoist_web"
cp "$HOIST_CLI_JAR" "$HOIST_RUN/lib/hoist-cli.jar"
export HOIST_CLI_JAR=$HOIST_RUN/lib/hoist-cli.jar DOCKER_HOST=$HOIST_DOCKER_HOST
port=$(hoist_free_port)
cat > "$HOIST_RUN/store/hoist_web/container.json" <<JSON
{"name": "web", "image": "$HOIST_REGISTRY/hoist/web", "image_tag": "v1", "network": "host", "stop_timeout": 0,
 "command": "httpd -f -p 127.0.0.1:$port -h /www", "environment": ["GREETING=hi"]}
JSON
cli="$HOIST_ROOT/files/hoist-cli"
store=$HOIST_RUN/store
"$cli" start web --store "$store" >/dev/null
hoist_docker pull -q "$HOIST_REGISTRY/hoist/web:v1" >/dev/null

# The original module's check: a bash script around docker container inspect (Debian's docker CLI).
docker_cli=$(command -v /usr/bin/docker || command -v docker)
cat > "$HOIST_RUN/shell-check" <<SH
#!/bin/bash
STATE=\$($docker_cli --host $HOIST_DOCKER_HOST container inspect -f '{{.State.Status}}' hoist_web 2>/dev/null)
[ "\$STATE" == "running" ]
SH
chmod +x "$HOIST_RUN/shell-check"
cat > "$HOIST_RUN/Hello.java" <<'JAVA'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac -d "$HOIST_RUN" "$HOIST_RUN/Hello.java"
jvmflags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"

measure() { python3 "$HOIST_ROOT/bench/measure.py" --runs "$runs" "$@"; }

echo "== check: hoist-cli check through the launcher vs the original shell check"
# shellcheck disable=SC2086
measure --json "$HOIST_RUN/check.json" --label "shell check (bash + docker inspect)" -- "$HOIST_RUN/shell-check" \
  --label "JVM 17 hello world (floor)" -- java $jvmflags -cp "$HOIST_RUN" Hello \
  --label "hoist-cli check (lean, CDS)" -- "$cli" check web --store "$store" \
  --label "hoist-cli check (lean, no CDS)" -- env HOIST_CDS=off "$cli" check web --store "$store" \
  --label "hoist-cli check (docker-java, CDS)" -- env HOIST_CHECK_CLIENT=docker-java "$cli" check web --store "$store"

echo
echo "== status: hoist-cli status vs docker inspect"
measure --label "docker inspect hoist_web" -- "$docker_cli" --host "$HOIST_DOCKER_HOST" inspect hoist_web \
  --label "hoist-cli status web" -- "$cli" status web --store "$store"

echo
echo "== start: hoist-cli restart (replace a running container) vs docker rm -f + docker run"
run_plain() {
  "$docker_cli" --host "$HOIST_DOCKER_HOST" rm -f plain_web >/dev/null 2>&1 || true
  "$docker_cli" --host "$HOIST_DOCKER_HOST" run -d --name plain_web --net host -e GREETING=hi \
    "$HOIST_REGISTRY/hoist/web:v1" httpd -f -p "127.0.0.1:$(hoist_free_port)" -h /www >/dev/null
}
export -f run_plain hoist_free_port
export docker_cli HOIST_DOCKER_HOST HOIST_REGISTRY
measure --label "docker rm -f + docker run -d" -- bash -c run_plain \
  --label "hoist-cli restart web" -- "$cli" restart web --store "$store"
echo "(stop_timeout 0: both kill the old container at once; hoist-cli restart includes its 1 s check that the new one stays running)"

echo
echo "== a container whose process dies: back serving (Docker's restart policy, no Hoist involved)"
echo "(11 s apart: Docker doubles its restart delay for a container that dies again within 10 s of starting)"
for i in 1 2 3 4 5; do
  sleep 11
  pid=$("$docker_cli" --host "$HOIST_DOCKER_HOST" inspect -f '{{.State.Pid}}' hoist_web)
  start=$(date +%s%N)
  kill -9 "$pid"
  until curl -fsS -o /dev/null --max-time 0.2 "http://127.0.0.1:$port/" 2>/dev/null && \
        [ "$("$docker_cli" --host "$HOIST_DOCKER_HOST" inspect -f '{{.State.Pid}}' hoist_web)" != "$pid" ]; do
    sleep 0.02
    [ $(( $(date +%s%N) - start )) -lt 30000000000 ] || hoist_die "hoist_web did not come back within 30 s"
  done
  echo "kill -9 #$i: serving again after $(( ($(date +%s%N) - start) / 1000000 )) ms"
done

echo
echo "== CPU per managed container per hour"
# The default check interval, read from the Puppet module (class hoist's check_interval).
interval=$(sed -n "s/.*\$check_interval *= *'\([0-9]*[smh]\)'.*/\1/p" "$HOIST_ROOT/manifests/init.pp")
[ -n "$interval" ] || hoist_die "cannot read check_interval's default from manifests/init.pp"
case $interval in
  *h) interval=$(( ${interval%h} * 3600 )) ;;
  *m) interval=$(( ${interval%m} * 60 )) ;;
  *s) interval=${interval%s} ;;
esac
python3 - "$HOIST_RUN/check.json" "$interval" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
interval = int(sys.argv[2])
shell = m["shell check (bash + docker inspect)"]["cpu_s"]
hoist = m["hoist-cli check (lean, CDS)"]["cpu_s"]
orig = 3600 / 20 * shell
ours = 3600 / interval * hoist
print(f"original module: shell check every 20 s: {3600 // 20} x {shell * 1000:.1f} ms = {orig:.1f} CPU-s/hour")
print(f"hoist:           check every {interval} s:    {3600 // interval} x {hoist * 1000:.1f} ms = {ours:.1f} CPU-s/hour ({ours / orig:.2f}x)")
PY
