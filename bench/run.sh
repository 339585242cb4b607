#!/usr/bin/env bash
# bench/run.sh: what hoist-cli costs, measured against the JVM floor and the shell and docker CLI
# commands it replaces.
#
#   bash bench/run.sh [RUNS]      (default 30 runs of each command, alternating)
#
# Starts the harness's private dockerd and registry, builds the jar, starts 20 containers with
# hoist-cli, then runs each command through the launcher (files/hoist-cli, as a node runs it) on
# JDK 17 and, when there is one, JDK 25 (HOIST_BENCH_JAVA25, else /usr/lib/jvm/*-25-*/bin/java),
# interleaved in one measurement, and prints medians, peak memory and the ratios of issue 18's
# targets (bench/measure.py, bench/targets.py). The floor is a hello world jar run through the
# same launcher, with the same flags and its own class-data archive. Stops everything it started.
set -euo pipefail
source "$(dirname "$0")/../harness/lib/common.sh"
runs=${1:-30}
containers=20

hoist_install_packages
hoist_build_jar
hoist_setup_run bench
hoist_before_stop() { hoist_remove_containers; }
hoist_start_dockerd
hoist_start_registry
hoist_build_test_images

java17=$(command -v java)
"$java17" -version 2>&1 | grep 'version "17' >/dev/null || hoist_die "java on PATH is not JDK 17: $java17"
java25=${HOIST_BENCH_JAVA25:-}
if [ -z "$java25" ]; then
  for j in /usr/lib/jvm/*-25-*/bin/java; do [ -x "$j" ] && java25=$j && break; done
fi
jdks="17"
[ -n "$java25" ] && jdks="17 25"
java_of() { if [ "$1" = 25 ]; then echo "$java25"; else echo "$java17"; fi; }

# The jar in a folder of its own per JDK, as on a node, so the launcher keeps its archive beside it;
# a hello world jar likewise, the floor: the launcher runs io.choria.hoist.Main from the jar it is
# given, so the hello world is a class of that name that prints hello.
mkdir -p "$HOIST_RUN/hello-src/io/choria/hoist" "$HOIST_RUN/hello-classes"
cat > "$HOIST_RUN/hello-src/io/choria/hoist/Main.java" <<'JAVA'
package io.choria.hoist;
public class Main { public static void main(String[] a) { System.out.println("hello"); } }
JAVA
javac --release 17 -d "$HOIST_RUN/hello-classes" "$HOIST_RUN/hello-src/io/choria/hoist/Main.java"
for v in $jdks; do
  mkdir -p "$HOIST_RUN/jdk$v/lib" "$HOIST_RUN/jdk$v/hello"
  cp "$HOIST_CLI_JAR" "$HOIST_RUN/jdk$v/lib/hoist-cli.jar"
  jar --create --file "$HOIST_RUN/jdk$v/hello/hello.jar" -C "$HOIST_RUN/hello-classes" io
done
cli="$HOIST_ROOT/files/hoist-cli"
store=$HOIST_RUN/store
export DOCKER_HOST=$HOIST_DOCKER_HOST
# hoist-cli as a node runs it, on JDK V: run V ARGS...
run() { local v=$1; shift; HOIST_JAVA=$(java_of "$v") HOIST_CLI_JAR=$HOIST_RUN/jdk$v/lib/hoist-cli.jar "$cli" "$@"; }

# $containers containers, web and web2...; started without an archive, so that the first run on
# each JDK below records it, as the machine's first check does after an upgrade.
port=0
for i in $(seq 1 "$containers"); do
  name=web; [ "$i" -eq 1 ] || name=web$i
  mkdir -p "$store/hoist_$name"
  p=$(hoist_free_port)
  [ "$i" -eq 1 ] && port=$p
  cat > "$store/hoist_$name/container.json" <<JSON
{"name": "$name", "image": "$HOIST_REGISTRY/hoist/web", "image_tag": "v1", "network": "host", "stop_timeout": 0,
 "command": "httpd -f -p 127.0.0.1:$p -h /www", "environment": ["GREETING=hi"]}
JSON
  HOIST_CDS=off run 17 start "$name" --store "$store" >/dev/null
done
for v in $jdks; do
  run "$v" check web --store "$store"
  HOIST_JAVA=$(java_of "$v") HOIST_CLI_JAR=$HOIST_RUN/jdk$v/hello/hello.jar "$cli" >/dev/null
done

# The original module's check: a bash script around docker container inspect (Debian's docker CLI).
docker_cli=$(command -v /usr/bin/docker || command -v docker)
cat > "$HOIST_RUN/shell-check" <<SH
#!/bin/bash
STATE=\$($docker_cli --host $HOIST_DOCKER_HOST container inspect -f '{{.State.Status}}' hoist_web 2>/dev/null)
[ "\$STATE" == "running" ]
SH
chmod +x "$HOIST_RUN/shell-check"

measure() { python3 "$HOIST_ROOT/bench/measure.py" --runs "$runs" "$@"; }
load() { echo "(load average before and after, on $(nproc) cores: $1 / $(cut -d' ' -f1-3 /proc/loadavg))"; }

echo "== check, status and the JVM floor, JDK 17${java25:+ and JDK 25} side by side"
v25="none found (HOIST_BENCH_JAVA25)"
[ -z "$java25" ] || v25=$("$java25" -version 2>&1 | head -1)
echo "(JDK 17: $("$java17" -version 2>&1 | head -1); JDK 25: $v25)"
items=(--label "shell check (bash + docker inspect)" -- "$HOIST_RUN/shell-check")
for v in $jdks; do
  j=$(java_of "$v")
  items+=(--label "JDK $v: hello world (floor)" -- env HOIST_JAVA="$j" HOIST_CLI_JAR="$HOIST_RUN/jdk$v/hello/hello.jar" "$cli"
    --label "JDK $v: hoist-cli check web" -- env HOIST_JAVA="$j" HOIST_CLI_JAR="$HOIST_RUN/jdk$v/lib/hoist-cli.jar" "$cli" check web --store "$store"
    --label "JDK $v: hoist-cli status web" -- env HOIST_JAVA="$j" HOIST_CLI_JAR="$HOIST_RUN/jdk$v/lib/hoist-cli.jar" "$cli" status web --store "$store"
    --label "JDK $v: hoist-cli status ($containers)" -- env HOIST_JAVA="$j" HOIST_CLI_JAR="$HOIST_RUN/jdk$v/lib/hoist-cli.jar" "$cli" status --store "$store")
done
before=$(cut -d' ' -f1-3 /proc/loadavg)
measure --json "$HOIST_RUN/main.json" "${items[@]}"
load "$before"

# The default check interval, read from the contract (schema/container-spec.v1.json), which Puppet's
# hoist::container_defaults and hoist-cli's SpecParser are tested against.
interval=$(jq -r '.properties.check_interval.default // empty' "$HOIST_ROOT/schema/container-spec.v1.json")
[ -n "$interval" ] || hoist_die "cannot read check_interval's default from schema/container-spec.v1.json"
echo
python3 "$HOIST_ROOT/bench/targets.py" "$HOIST_RUN/main.json" "$interval" "$containers" $jdks

echo
echo "== status without its lean path (JDK 17): picocli's command line (an @file) and docker-java's client (HOIST_CHECK_CLIENT)"
printf '%s\n' status web --store "$store" > "$HOIST_RUN/status.args"
before=$(cut -d' ' -f1-3 /proc/loadavg)
measure --label "JDK 17: hoist-cli status web (lean)" -- env HOIST_CLI_JAR="$HOIST_RUN/jdk17/lib/hoist-cli.jar" "$cli" status web --store "$store" \
  --label "JDK 17: status web, picocli + docker-java" -- env HOIST_CHECK_CLIENT=docker-java HOIST_CLI_JAR="$HOIST_RUN/jdk17/lib/hoist-cli.jar" "$cli" "@$HOIST_RUN/status.args"
load "$before"
echo

echo "== start-up breakdown: classes loaded by one run (-Xlog:class+load), and where from"
for v in $jdks; do
  for what in hello check status; do
    log=$HOIST_RUN/classes-$v-$what.log
    case $what in
      hello) HOIST_JAVA=$(java_of "$v") HOIST_CLI_JAR=$HOIST_RUN/jdk$v/hello/hello.jar HOIST_JAVA_OPTS="-Xlog:class+load=info:file=$log" "$cli" >/dev/null ;;
      check) HOIST_JAVA_OPTS="-Xlog:class+load=info:file=$log" run "$v" check web --store "$store" ;;
      status) HOIST_JAVA_OPTS="-Xlog:class+load=info:file=$log" run "$v" status web --store "$store" >/dev/null ;;
    esac
  done
done
python3 "$HOIST_ROOT/bench/classes.py" "$HOIST_RUN" $jdks

echo
echo "== start: hoist-cli restart (replace a running container) vs docker rm -f + docker run"
run_plain() {
  "$docker_cli" --host "$HOIST_DOCKER_HOST" rm -f plain_web >/dev/null 2>&1 || true
  "$docker_cli" --host "$HOIST_DOCKER_HOST" run -d --name plain_web --net host -e GREETING=hi \
    "$HOIST_REGISTRY/hoist/web:v1" httpd -f -p "127.0.0.1:$(hoist_free_port)" -h /www >/dev/null
}
export -f run_plain hoist_free_port
export docker_cli HOIST_DOCKER_HOST HOIST_REGISTRY
before=$(cut -d' ' -f1-3 /proc/loadavg)
python3 "$HOIST_ROOT/bench/measure.py" --runs 10 --label "docker rm -f + docker run -d" -- bash -c run_plain \
  --label "hoist-cli restart web" -- env HOIST_CLI_JAR="$HOIST_RUN/jdk17/lib/hoist-cli.jar" "$cli" restart web --store "$store"
load "$before"
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
