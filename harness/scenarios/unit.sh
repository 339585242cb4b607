#!/usr/bin/env bash
# harness/scenarios/unit.sh: hoist-cli's unit tests (Maven Surefire), one TAP point per test class.
#
#   bash harness/test.sh unit        (or alone: bash harness/scenarios/unit.sh)
#
# Runs the tests from the classes built once for the run (test.sh builds them before any stage;
# run alone, hoist_ensure_build builds what is missing or stale), in the checkout: the reports are
# hoist-cli/target/surefire-reports, which no other stage writes. Needs no service: it computes
# (the contract corpus, the fuzzers, the JSON and SHA-256 cross-checks), so test.sh runs it beside
# the stages that wait, never beside another that computes. After Maven, one TAP point per test
# class (a failed class lists its failed tests), `unit: N passed, M failed` counting test classes,
# and the test totals as a `# ` line. Exits non-zero when Maven or a test failed.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

scenario_begin unit
summary() { scenario_result; }
hoist_setup_run unit
hoist_ensure_build
cd "$HOIST_ROOT" || exit 1

rm -rf hoist-cli/target/surefire-reports
mvn -B -ntp -Dstyle.color=never -pl hoist-cli surefire:test >"$HOIST_RUN/mvn.log" 2>&1
mvn_rc=$?
sed 's/^/# /' "$HOIST_RUN/mvn.log" | grep -E '^# \[(ERROR|WARNING)\]|Tests run:.*Fail|BUILD|Total time' | grep -v -- '-- in ' || true
while IFS= read -r line; do
  case "$line" in
    "ok "*) ok "${line#ok }" ;;
    "not ok "*) not_ok "${line#not ok }" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < <(python3 "$HOIST_ROOT/harness/tools/junit-summary.py" hoist-cli/target/surefire-reports)
if [ "$mvn_rc" -ne 0 ]; then
  not_ok "Maven ran the unit tests (exit $mvn_rc); the end of its output:"
  tail -n 30 "$HOIST_RUN/mvn.log" | sed 's/^/#   | /'
fi
summary
[ "$failed" -eq 0 ]
