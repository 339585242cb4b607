#!/usr/bin/env bash
# harness/scenarios/java.sh: hoist-cli's unit and integration tests (`mvn -B verify`).
#
#   bash harness/test.sh java        (test.sh starts the services and exports them)
#
# The integration tests (*IT.java, run by Maven Failsafe against the shaded jar) need the
# harness's dockerd, registry (hoist/web:v1..v4 pushed) and NATS: HOIST_DOCKER_HOST,
# HOIST_REGISTRY and HOIST_NATS_URL, which test.sh exports. Run alone, it starts its own.
# With HOIST_ENGINE (26, 26c: test.sh's stages java-26 and java-26c) it starts that Docker Engine
# (harness/lib/engines.sh) beside test.sh's registry and NATS and runs the integration tests only,
# reporting as java-ENGINE. It ends with one `# ` line naming the engine (version, API versions,
# storage), the API version hoist-cli negotiated there, and the integration tests run.
# After Maven, one TAP point per test class from Surefire's and Failsafe's reports (a failed
# class lists its failed tests), then `java: N passed, M failed` counting test classes, and the
# test totals as a `# ` line. Exits non-zero when Maven or a test failed.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

scenario_begin java
summary() { scenario_result; }

if scenario_own_services; then
  hoist_setup_run java
  hoist_before_stop() {
    local ids
    ids=$(hoist_docker ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086  # one id per word
    [ -z "$ids" ] || hoist_docker rm -f $ids >/dev/null 2>&1 || true
  }
fi
scenario_services

# On an engine other than the default one (an engine stage), only the integration tests that use
# the engine: the unit tests use none and the KV's (kv/*IT) NATS alone, and all ran in the java
# stage. `-Dtest` is Surefire's alone; Failsafe reads `-Dit.test`.
mvn_args=()
if [ -n "${HOIST_ENGINE:-}" ]; then
  mvn_args=(-Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false '-Dit.test=**/*IT, !**/kv/*IT')
fi
# HOIST_IT=PATTERN (a developer's setting, e.g. ContainerOptionsIT): only those integration tests.
if [ -n "${HOIST_IT:-}" ]; then
  mvn_args=(-Dtest=NoUnitTests -Dsurefire.failIfNoSpecifiedTests=false "-Dit.test=$HOIST_IT")
fi

cd "$HOIST_ROOT" || exit 1
rm -rf hoist-cli/target/surefire-reports hoist-cli/target/failsafe-reports
HOIST_TEST_DOCKER_HOST=$HOIST_DOCKER_HOST HOIST_TEST_REGISTRY=$HOIST_REGISTRY HOIST_TEST_NATS_URL=$HOIST_NATS_URL \
  HOIST_TEST_ENGINE=${HOIST_ENGINE:-20.10} \
  mvn -B -ntp -Dstyle.color=never "${mvn_args[@]}" verify 2>&1 | tee "${TMPDIR:-/tmp}/hoist-java-$$.log" | sed -u 's/^/# /'
mvn_rc=${PIPESTATUS[0]}
echo  # Maven may end without a newline: the TAP points start on a line of their own
tail -n 30 "${TMPDIR:-/tmp}/hoist-java-$$.log" > "${TMPDIR:-/tmp}/hoist-java-$$.tail"
rm -f "${TMPDIR:-/tmp}/hoist-java-$$.log"

while IFS= read -r line; do
  case "$line" in
    "ok "*) ok "${line#ok }" ;;
    "not ok "*) not_ok "${line#not ok }" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < <(python3 "$HOIST_ROOT/harness/tools/junit-summary.py" hoist-cli/target/surefire-reports hoist-cli/target/failsafe-reports)

# One line on the engine and the integration tests run on it (test.sh repeats it above its table):
# the API version is the one the jar negotiated, as `hoist-cli status` reports it.
empty=$(mktemp -d "${TMPDIR:-/tmp}/hoist-java-store.XXXXXX")
api=$(java -jar hoist-cli/target/hoist-cli.jar status --json --store "$empty" --docker-host "$HOIST_DOCKER_HOST" 2>/dev/null |
  python3 "$HOIST_ROOT/harness/tools/doc.py" get - engine.api_version 2>/dev/null) || api='(status failed)'
rmdir "$empty"
its=$(python3 "$HOIST_ROOT/harness/tools/junit-summary.py" hoist-cli/target/failsafe-reports | sed -n 's/^# tests: //p')
note "$SCENARIO_NAME on $(hoist_engine_line); hoist-cli speaks API $api; integration tests: ${its:-none}"

if [ "$mvn_rc" -ne 0 ]; then
  not_ok "mvn -B verify succeeded (exit $mvn_rc); the end of its output:"
  sed 's/^/#   | /' "${TMPDIR:-/tmp}/hoist-java-$$.tail"
fi
rm -f "${TMPDIR:-/tmp}/hoist-java-$$.tail"
summary
[ "$failed" -eq 0 ]
