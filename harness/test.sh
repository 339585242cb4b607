#!/usr/bin/env bash
# harness/test.sh: install what is missing, start the real services, run every test, stop everything.
#
#   bash harness/test.sh            all stages
#   bash harness/test.sh java       only some stages: java, puppet, e2e, register, fleet
#
# Services (all on 127.0.0.1 or unix sockets in a temp folder, stopped by pid at exit): a private
# dockerd, a docker-registry holding hoist/web:v1 to :v4 (v3 broken), nats-server with JetStream.
# The e2e stage (harness/e2e.sh) adds a real Choria server, built from its Go module (Go: on PATH,
# else /usr/local/go/bin/go) and cached in ~/.cache/hoist; the register stage
# (harness/register-test.sh) another, for register_ports; the fleet stage (harness/fleet.sh)
# three of them, each with its own dockerd, sharing the NATS.
set -euo pipefail
# choria.sh sources lib.sh and adds the Choria helpers (hoist_find_go for the e2e stage).
source "$(dirname "$0")/choria.sh"

stages=("$@")
[ "${#stages[@]}" -gt 0 ] || stages=(java puppet e2e register fleet)
want() { local s; for s in "${stages[@]}"; do [ "$s" = "$1" ] && return 0; done; return 1; }

passed=0
failed=0
results=()
stage() {
  local name=$1 start rc
  shift
  start=$(date +%s)
  hoist_log "stage $name: starting"
  set +e
  "$@"
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    results+=("PASS $name ($(($(date +%s) - start))s)")
  else
    failed=$((failed + 1))
    results+=("FAIL $name (exit $rc, $(($(date +%s) - start))s)")
  fi
}

# Containers the tests started are removed before dockerd stops.
hoist_before_stop() {
  [ -n "${HOIST_DOCKER_HOST:-}" ] || return 0
  local ids
  ids=$(hoist_docker ps -aq 2>/dev/null || true)
  [ -z "$ids" ] || hoist_docker rm -f $ids >/dev/null 2>&1 || true
}

java_tests() {
  (cd "$HOIST_ROOT" && HOIST_TEST_DOCKER_HOST=$HOIST_DOCKER_HOST HOIST_TEST_REGISTRY=$HOIST_REGISTRY \
    HOIST_TEST_NATS_URL=$HOIST_NATS_URL mvn -B -ntp verify)
}

hoist_install_packages
# The e2e, register and fleet stages build Choria from its Go module unless a build is cached: find Go
# before anything runs, so that a machine without it fails at once with a clear message.
if { want e2e || want register || want fleet; } && [ -z "${HOIST_CHORIA_BIN:-}" ] && [ ! -x "$(hoist_choria_cache_dir)/choria" ]; then
  hoist_find_go || hoist_die "the e2e, register and fleet stages need Go to build Choria $HOIST_CHORIA_VERSION (or HOIST_CHORIA_BIN)"
fi
hoist_setup_run test
hoist_start_dockerd
hoist_start_registry
hoist_start_nats
hoist_build_test_images

want java && stage java java_tests
want puppet && stage puppet bash "$HOIST_ROOT/harness/puppet-tests.sh" --with-cli
want e2e && stage e2e bash "$HOIST_ROOT/harness/e2e.sh"
want register && stage register bash "$HOIST_ROOT/harness/register-test.sh"
want fleet && stage fleet bash "$HOIST_ROOT/harness/fleet.sh"

printf '\n'
printf '%s\n' "${results[@]}"
printf 'stages: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
