#!/usr/bin/env bash
# harness/demo.sh: bring up Hoist on this machine, under a real Choria, or stop it.
#
#   bash harness/demo.sh          start: private dockerd, registry, NATS, a Choria server, and
#                                 `puppet apply` of `include hoist` with one example container
#   bash harness/demo.sh apply    apply /tmp/hoist-demo/puppet/hieradata/hoist.yaml again (after editing it)
#   bash harness/demo.sh stop     stop everything the demo started (by pid) and remove its folder
#
# Everything runs on 127.0.0.1 or unix sockets under /tmp/hoist-demo; nothing touches the
# machine's own Docker or Choria. The services keep running after this script ends, until
# `bash harness/demo.sh stop`. Needs root (sudo is used when run as another user), Debian 12's
# packages (installed when missing) and Go, to build Choria once (cached in ~/.cache/hoist).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then exec sudo --preserve-env=HOIST_CACHE,HOIST_GO,HOIST_CHORIA_BIN bash "$0" "$@"; fi

# shellcheck source=harness/lib/choria.sh
source "$(dirname "$0")/lib/choria.sh"

HOIST_RUN=/tmp/hoist-demo
export HOIST_RUN
IDENTITY=demo.example
NAME=weather
STORE=$HOIST_RUN/machine

# Containers first, after the Choria server (so that no machine starts one again).
hoist_before_stop() {
  hoist_stop_choria_servers
  [ -n "${HOIST_DOCKER_HOST:-}" ] || return 0
  local ids
  ids=$(hoist_docker ps -aq 2>/dev/null || true)
  [ -z "$ids" ] || hoist_docker rm -f $ids >/dev/null 2>&1 || true
}

stop_demo() {
  [ -d "$HOIST_RUN" ] || { hoist_log "no demo is running"; return 0; }
  # shellcheck source=/dev/null
  [ -f "$HOIST_RUN/env" ] && source "$HOIST_RUN/env"
  hoist_stop_all
  hoist_unmount_under "$HOIST_RUN"
  rm -rf "$HOIST_RUN"
  hoist_log "demo stopped"
}

# The demo's Hiera: the seed's weather container, with Key-Value updates, on 127.0.0.1. The node
# reports its status to the broker as a real node does (hoist::kv_server, hoist::identity), so the
# fleet view (hoist-cli rollout status) lists it and rollouts work. check_interval is 10s so that
# the demo reacts at once; below 90s each passing check logs a warning (docs/logs.md).
write_hiera() {
  cat > "$HOIST_RUN/puppet/hieradata/hoist.yaml" <<YAML
---
hoist::machine_store: $STORE
hoist::cli_path: $HOIST_RUN/bin/hoist-cli
hoist::jar_path: $HOIST_RUN/lib/hoist/hoist-cli.jar
hoist::settings_file: $HOIST_RUN/etc/hoist/hoist-cli.conf
hoist::jar_source: $HOIST_RUN/src/hoist-cli.jar
hoist::docker_host: $HOIST_DOCKER_HOST
hoist::kv_server: $HOIST_NATS_URL
hoist::identity: $IDENTITY
hoist::check_interval: 10s
hoist::kv_interval: 5s
hoist::purge_interval: 30s
hoist::containers:
  $NAME:
    kv_update: true
    image: $HOIST_REGISTRY/hoist/web
    image_tag: v1
    network: host
    stop_timeout: 2
    environment:
      - WEATHER_API_KEY=c2..4a
    volumes:
      - $HOIST_RUN/weather-logs:/logs
    command: [httpd, -f, -p, "127.0.0.1:$WEB_PORT", -h, /www]
YAML
}

apply() {
  local rc
  hoist_puppet_apply "$1" && rc=0 || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
    sed 's/^/  | /' "$HOIST_RUN/puppet/$1.log" >&2
    hoist_die "puppet apply failed (exit $rc)"
  fi
  hoist_log "puppet apply: done (log $HOIST_RUN/puppet/$1.log)"
}

case "${1:-start}" in
  stop)
    stop_demo
    exit 0
    ;;
  apply)
    [ -f "$HOIST_RUN/env" ] || hoist_die "no demo is running: bash harness/demo.sh"
    # shellcheck source=/dev/null
    source "$HOIST_RUN/env"
    apply "apply-$(date +%H%M%S)"
    exit 0
    ;;
  start) ;;
  *) hoist_die "usage: bash harness/demo.sh [start|apply|stop]" ;;
esac

[ ! -d "$HOIST_RUN" ] || stop_demo
mkdir -p "$HOIST_RUN"
: > "$HOIST_RUN/pids"
# On failure, stop what was started; on success leave it running for the user.
trap 'rc=$?; if [ $rc -ne 0 ]; then hoist_log "demo failed; stopping it"; stop_demo; fi' EXIT

hoist_install_packages
choria_bin=$(hoist_choria_bin) || hoist_die "no choria binary: see above"
hoist_ensure_jar
hoist_start_dockerd
hoist_start_registry
hoist_start_nats
hoist_build_test_images
WEB_PORT=$(hoist_free_port)

mkdir -p "$STORE" "$HOIST_RUN/bin" "$HOIST_RUN/lib" "$HOIST_RUN/etc" "$HOIST_RUN/src" "$HOIST_RUN/weather-logs" "$HOIST_RUN/textfile"
cp "$HOIST_CLI_JAR" "$HOIST_RUN/src/hoist-cli.jar"
ln -sfn "$choria_bin" "$HOIST_RUN/bin/choria"
# Metrics: the nagios watchers' series, served by node_exporter's textfile collector.
HOIST_CHORIA_TEXTFILE_DIR=$HOIST_RUN/textfile
EXPORTER_PORT=$(hoist_free_port)
hoist_start_choria_server "$IDENTITY" "$STORE" || hoist_die "the choria server did not start"
hoist_start_node_exporter "$HOIST_CHORIA_TEXTFILE_DIR" "$EXPORTER_PORT" || hoist_die "node_exporter did not start"
cat > "$HOIST_RUN/env" <<ENV
HOIST_DOCKER_HOST=$HOIST_DOCKER_HOST
HOIST_REGISTRY=$HOIST_REGISTRY
HOIST_NATS_URL=$HOIST_NATS_URL
HOIST_NATS_PORT=$HOIST_NATS_PORT
HOIST_CHORIA_CLIENT_CONFIG=$HOIST_CHORIA_CLIENT_CONFIG
WEB_PORT=$WEB_PORT
EXPORTER_PORT=$EXPORTER_PORT
IDENTITY=$IDENTITY
ENV

# The shell settings for trying things by hand: hoist-cli needs none (its launcher reads the node's
# settings file, as the machines' watchers do); DOCKER_HOST is for the docker CLI.
CFG=$HOIST_CHORIA_CLIENT_CONFIG
cat > "$HOIST_RUN/demo.env" <<ENV
export PATH=$HOIST_RUN/bin:\$PATH
export DOCKER_HOST=$HOIST_DOCKER_HOST
ENV

hoist_choria kv add "HOIST_$NAME" >/dev/null
hoist_puppet_setup
write_hiera
apply first
hoist_log "waiting for the machine hoist_$NAME to reach RUN (Choria scans its store every 10s)"
in_run() { [ "$(hoist_machine_state "$IDENTITY" "hoist_$NAME" 2>/dev/null)" = RUN ]; }
if ! hoist_wait_until 180 "hoist_$NAME in RUN" in_run; then
  tail -n 5 "$STORE/hoist_$NAME/hoist.log" >&2 2>/dev/null || true
  hoist_die "hoist_$NAME did not reach RUN within 180s"
fi
hoist_wait_for 30 "hoist_$NAME serving on 127.0.0.1:$WEB_PORT" curl -fsS "http://127.0.0.1:$WEB_PORT/"

# shellcheck source=/dev/null
source "$HOIST_RUN/demo.env"
cat <<MSG

== hoist-cli status
\$ hoist-cli status --store $STORE
MSG
hoist-cli status --store "$STORE" || true
cat <<MSG
== the machines, as Choria reports them
\$ choria req choria_util machine_state name=hoist_$NAME --config $CFG
MSG
choria req choria_util machine_state "name=hoist_$NAME" --config "$CFG" || true
cat <<MSG
== the service
\$ curl http://127.0.0.1:$WEB_PORT/
$(curl -fsS "http://127.0.0.1:$WEB_PORT/")

The demo is running: a Choria server ($IDENTITY) runs the machine hoist_$NAME from $STORE,
written by \`puppet apply\` of \`include hoist\` with the Hiera in $HOIST_RUN/puppet/hieradata/hoist.yaml.
Its server log is $HOIST_RUN/choria/$IDENTITY.log (the demo checks every 10s, and below 90s each
passing check logs a warning there: docs/logs.md); hoist-cli's own log is $STORE/hoist_$NAME/hoist.log.

Try, in a root shell (the first line sets PATH, and DOCKER_HOST for the docker CLI; hoist-cli reads
the node's settings, the Docker endpoint, the jar and the broker, from $HOIST_RUN/etc/hoist/hoist-cli.conf):
  source $HOIST_RUN/demo.env
  hoist-cli status --store $STORE
  # the fleet: every node's report of $NAME (this demo is one node, $IDENTITY)
  hoist-cli rollout status $NAME --store $STORE
  # a rollout of v2, one canary first (here the only node), followed until it settles
  hoist-cli rollout start $NAME v2 --canary 1 --watch --store $STORE
  curl http://127.0.0.1:$WEB_PORT/
  # the rest of the fleet follows
  hoist-cli rollout promote $NAME --store $STORE
  hoist-cli rollout status $NAME --watch --store $STORE
  # a broken release (v3's web server exits at once): the node tries it, rolls back to v2 and marks
  # v3 failed for the fleet, which no other node then tries
  hoist-cli tag $NAME v3 --store $STORE
  hoist-cli rollout status $NAME --watch --store $STORE
  choria kv get HOIST_$NAME TAG_failed --config $CFG
  hoist-cli status $NAME --store $STORE
  curl http://127.0.0.1:$WEB_PORT/
  # a new tag the seed's way, with Choria's own client; an invalid value is refused (see status)
  choria kv put HOIST_$NAME TAG v1 --config $CFG
  choria kv put HOIST_$NAME TAG 'v3; rm -rf /' --config $CFG
  hoist-cli status $NAME --store $STORE
  hoist-cli tag $NAME v1 --store $STORE
  # the machine and its transitions: stop, restart, update, maintenance, resume
  choria req choria_util machine_state name=hoist_$NAME --config $CFG
  choria req choria_util machine_transition name=hoist_$NAME transition=maintenance --config $CFG
  docker kill hoist_$NAME
  choria req choria_util machine_transition name=hoist_$NAME transition=resume --config $CFG
  choria req choria_util machine_transition name=hoist_$NAME transition=restart --config $CFG
  choria req choria_util machine_transition name=hoist_$NAME transition=update --config $CFG
  choria req choria_util machine_transition name=hoist_$NAME transition=stop --config $CFG
  # watch it: transitions and every watcher's events, as lines (Ctrl-C ends it)
  choria machine watch --config $CFG
  # Scout: the check of every container, in a terminal UI; then, in another shell, docker kill
  # hoist_$NAME: it goes CRITICAL, is remediated and is OK again (Ctrl-C ends it)
  choria scout watch --config $CFG
  choria scout status $IDENTITY --config $CFG
  choria scout trigger --config $CFG       # check every container now
  # the metrics: the Scout checks' series, through node_exporter's textfile collector
  curl -s http://127.0.0.1:$EXPORTER_PORT/metrics | grep choria_machine_nagios
  # the check as the nagios watcher runs it (in the machine folder): one line, exit 0-3
  (cd $STORE/hoist_$NAME && hoist-cli check --nagios $NAME; echo "exit \$?")
  # change the Hiera (a new environment value, another container) and apply it again
  \$EDITOR $HOIST_RUN/puppet/hieradata/hoist.yaml && bash harness/demo.sh apply

Stop it all with:
  bash harness/demo.sh stop
MSG
