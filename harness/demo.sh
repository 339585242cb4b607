#!/usr/bin/env bash
# harness/demo.sh: bring up a Hoist demo on this machine, or stop it.
#
#   bash harness/demo.sh          start: private dockerd, registry, NATS, one container managed by hoist-cli
#   bash harness/demo.sh stop     stop everything the demo started (by pid) and remove its folder
#
# Everything runs on 127.0.0.1 or unix sockets under /tmp/hoist-demo; nothing touches the
# machine's own Docker or Choria.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

HOIST_RUN=/tmp/hoist-demo
export HOIST_RUN

stop_demo() {
  [ -d "$HOIST_RUN" ] || { hoist_log "no demo is running"; return 0; }
  [ -f "$HOIST_RUN/env" ] && source "$HOIST_RUN/env"
  hoist_before_stop() {
    [ -n "${HOIST_DOCKER_HOST:-}" ] || return 0
    local ids
    ids=$(hoist_docker ps -aq 2>/dev/null || true)
    [ -z "$ids" ] || hoist_docker rm -f $ids >/dev/null 2>&1 || true
  }
  hoist_stop_all
  hoist_unmount_under "$HOIST_RUN"
  rm -rf "$HOIST_RUN"
  hoist_log "demo stopped"
}

if [ "${1:-}" = "stop" ]; then
  stop_demo
  exit 0
fi

[ ! -d "$HOIST_RUN" ] || stop_demo
mkdir -p "$HOIST_RUN"
: > "$HOIST_RUN/pids"
# On failure, stop what was started; on success leave it running for the user.
trap 'rc=$?; if [ $rc -ne 0 ]; then hoist_log "demo failed; stopping it"; stop_demo; fi' EXIT

hoist_install_packages
hoist_build_jar
hoist_start_dockerd
hoist_start_registry
hoist_start_nats
hoist_build_test_images
cat > "$HOIST_RUN/env" <<ENV
HOIST_DOCKER_HOST=$HOIST_DOCKER_HOST
HOIST_REGISTRY=$HOIST_REGISTRY
HOIST_NATS_URL=$HOIST_NATS_URL
ENV

# One container, as Puppet would write it into the machine store.
store=$HOIST_RUN/machine
mkdir -p "$store/hoist_web" "$HOIST_RUN/web-data"
port=$(hoist_free_port)
cat > "$store/hoist_web/container.json" <<JSON
{
  "name": "web",
  "image": "$HOIST_REGISTRY/hoist/web",
  "image_tag": "v1",
  "network": "host",
  "command": "sh -c 'echo \$GREETING > /data/greeting; exec httpd -f -p 127.0.0.1:$port -h /www'",
  "environment": ["GREETING=hello from hoist"],
  "volumes": ["$HOIST_RUN/web-data:/data"],
  "kv_update": true
}
JSON
chmod 600 "$store/hoist_web/container.json"

cli() { DOCKER_HOST=$HOIST_DOCKER_HOST HOIST_CLI_JAR=$HOIST_CLI_JAR "$HOIST_ROOT/files/hoist-cli" "$@"; }
cli start web --store "$store"
hoist_log "hoist_web serves: $(curl -fsS "http://127.0.0.1:$port/")"
cli check web --store "$store" && hoist_log "hoist-cli check web: ok"
cli status --store "$store"

cat <<MSG
The demo is running. Try:
  DOCKER_HOST=$HOIST_DOCKER_HOST HOIST_CLI_JAR=$HOIST_CLI_JAR files/hoist-cli status --store $store
  curl http://127.0.0.1:$port/
Stop it all with:
  bash harness/demo.sh stop
MSG
