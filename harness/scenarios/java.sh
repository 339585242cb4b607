#!/usr/bin/env bash
# harness/scenarios/java.sh: hoist-cli's integration tests (Failsafe); the unit tests are the unit stage's.
#
#   bash harness/test.sh java        (or alone: bash harness/scenarios/java.sh)
#
# The integration tests (*IT.java, against the shaded jar run as a process) need a dockerd, a
# registry (hoist/web:v1..v4 pushed) and NATS: this stage starts its own (scenario_services), in its
# run folder, unless HOIST_DOCKER_HOST, HOIST_REGISTRY and HOIST_NATS_URL/PORT are exported.
# With HOIST_ENGINE (26, 26c: test.sh's stages java-26 and java-26c) it starts that Docker Engine
# (harness/lib/engines.sh) and runs the integration tests whose outcome that engine can change
# (java_engine_its below), reporting as java-ENGINE. It ends with one `# ` line naming the engine
# (version, API versions, storage), the API version hoist-cli negotiated there, and the
# integration tests run. After Maven, one TAP point per test class from Failsafe's reports (a
# failed class lists its failed tests), then `java: N passed, M failed` counting test classes, and
# the test totals as a `# ` line. Exits non-zero when Maven or a test failed.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

scenario_begin java
summary() { scenario_result; }

hoist_setup_run java
if scenario_own_services; then
  hoist_before_stop() {
    local ids
    ids=$(hoist_docker ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086  # one id per word
    [ -z "$ids" ] || hoist_docker rm -f $ids >/dev/null 2>&1 || true
  }
fi
scenario_services

# java_engine_its ENGINE: the integration tests a stage on ENGINE runs (Failsafe's -Dit.test), those
# whose outcome that engine can change (harness/README.md, "Docker Engines", says why):
# - 26 (another daemon): every test that uses the Engine; the KV's (kv/*IT) use NATS alone.
# - 26c (the same daemon as 26, the containerd image store): the tests where images are in play:
#   ids and RepoDigests, pulls, tags moving, rollback to an image, cleanup. The options, the check's
#   class loading and the fleet's KV decisions do not touch the image store: java-26 has them.
java_engine_its() {
  case "$1" in
    26c) echo 'EngineIT, RegistryAuthIT, ImageCleanupIT, LifecycleIT, HealthIT, FaultsIT' ;;
    # podman (another product, its own Docker API): every test that uses the Engine, as on 26.
    *) echo '**/*IT, !**/kv/*IT' ;;
  esac
}

# The tests run from the classes built once for the run (test.sh builds them before any stage;
# run alone, hoist_ensure_build builds what is missing or stale): no stage compiles or packages,
# so stages running side by side never see a jar or a class being rewritten. They run in a copy of
# the built module in this stage's run folder, so that each engine stage has its own reports.
hoist_ensure_build
cd "$HOIST_ROOT" || exit 1
build=$HOIST_RUN/module
mkdir -p "$build/hoist-cli/target" "$build/files"
# The launcher too (files/hoist-cli): the tests run the jar through it, as a node does; it records its
# class-data archives beside this stage's copy of the jar.
cp pom.xml "$build/" && cp hoist-cli/pom.xml "$build/hoist-cli/" && cp -a files/hoist-cli "$build/files/" &&
  cp -a hoist-cli/target/classes hoist-cli/target/test-classes hoist-cli/target/hoist-cli.jar "$build/hoist-cli/target/" ||
  hoist_die "cannot copy the built module to $build"

# Which integration tests: on the default engine all of them; on another engine those whose outcome
# the engine can change (java_engine_its, harness/README.md says why per engine);
# HOIST_IT=PATTERN (a developer's setting, e.g. ContainerOptionsIT) only those.
it_filter=
[ -z "${HOIST_ENGINE:-}" ] || it_filter=$(java_engine_its "$HOIST_ENGINE")
[ -z "${HOIST_IT:-}" ] || it_filter=$HOIST_IT

mvn_log=$HOIST_RUN/mvn.log
mvn_rc=0
mvn_run() { # mvn_run ARGS...: Maven, its output kept and shown as `# ` lines
  mvn -B -ntp -Dstyle.color=never "$@" 2>&1 | tee -a "$mvn_log" | sed -u 's/^/# /'
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || mvn_rc=$rc
}
HOIST_TEST_DOCKER_HOST=$HOIST_DOCKER_HOST HOIST_TEST_REGISTRY=$HOIST_REGISTRY HOIST_TEST_NATS_URL=$HOIST_NATS_URL \
  HOIST_TEST_ENGINE=${HOIST_ENGINE:-20.10} \
  mvn_run -f "$build/hoist-cli/pom.xml" ${it_filter:+"-Dit.test=$it_filter"} failsafe:integration-test failsafe:verify
echo  # Maven may end without a newline: the TAP points start on a line of their own
reports=("$build/hoist-cli/target/failsafe-reports")

while IFS= read -r line; do
  case "$line" in
    "ok "*) ok "${line#ok }" ;;
    "not ok "*) not_ok "${line#not ok }" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < <(python3 "$HOIST_ROOT/harness/tools/junit-summary.py" "${reports[@]}")

# One line on the engine and the integration tests run on it (test.sh repeats it above its table):
# the API version is the one the jar negotiated, as `hoist-cli status` reports it.
empty=$(mktemp -d "${TMPDIR:-/tmp}/hoist-java-store.XXXXXX")
api=$(java -jar hoist-cli/target/hoist-cli.jar status --json --store "$empty" --docker-host "$HOIST_DOCKER_HOST" 2>/dev/null |
  python3 "$HOIST_ROOT/harness/tools/doc.py" get - engine.api_version 2>/dev/null) || api='(status failed)'
rmdir "$empty"
its=$(python3 "$HOIST_ROOT/harness/tools/junit-summary.py" "$build/hoist-cli/target/failsafe-reports" | sed -n 's/^# tests: //p')
note "$SCENARIO_NAME on $(hoist_engine_line); hoist-cli speaks API $api; integration tests: ${its:-none}"

if [ "$mvn_rc" -ne 0 ]; then
  not_ok "Maven ran the tests (exit $mvn_rc); the end of its output:"
  tail -n 30 "$mvn_log" | sed 's/^/#   | /'
fi
summary
[ "$failed" -eq 0 ]
