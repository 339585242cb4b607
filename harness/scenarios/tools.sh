#!/usr/bin/env bash
# harness/scenarios/tools.sh: the harness's own tools (harness/tools/*.py) are right: their unit
# tests (harness/tools/test_*.py, Python's unittest), one TAP point per test. Then the alerting
# rules Hoist ships (files/prometheus/hoist.rules.yml, docs/alerting.md): `promtool check rules`,
# their unit tests `promtool test rules spec/prometheus/hoist.rules.test.yml` (promtool from
# Debian's prometheus package), and that those tests fire every alert and keep each one quiet.
#
#   bash harness/test.sh tools      (or alone: bash harness/scenarios/tools.sh)
#
# Needs no service and no wait. Prints TAP and `tools: N passed, M failed`.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

scenario_begin tools
summary() { scenario_result; }

out=$(mktemp)
(cd "$HOIST_ROOT/harness/tools" && python3 -m unittest discover -v -p 'test_*.py') >"$out" 2>&1
rc=$?
# unittest -v prints `test_name (module.Class...) ... ok|FAIL|ERROR` for each test.
while IFS= read -r line; do
  case "$line" in
    *" ... ok") ok "${line% ... ok}" ;;
    *" ... FAIL" | *" ... ERROR") not_ok "${line% ... *}" ;;
  esac
done < <(grep -E ' \.\.\. (ok|FAIL|ERROR)$' "$out")
if [ "$rc" -ne 0 ] || [ "$((passed + failed))" -eq 0 ]; then
  not_ok "python3 -m unittest exited $rc having run $((passed + failed)) tests; its output:"
  quote <"$out"
fi
rm -f "$out"

step "the alerting rules (promtool)"
RULES=files/prometheus/hoist.rules.yml
RULE_TESTS=spec/prometheus/hoist.rules.test.yml
# promtool ARGS... from the top of the checkout (the tests name the rules by relative path); on
# failure its whole output follows the point.
promtool_in_root() { (cd "$HOIST_ROOT" && promtool "$@"); }
if command -v promtool >/dev/null 2>&1; then
  check "promtool check rules $RULES" promtool_in_root check rules "$RULES" || quote <"$SCENARIO_OUT"
  check "promtool test rules $RULE_TESTS" promtool_in_root test rules "$RULE_TESTS" || quote <"$SCENARIO_OUT"
else
  not_ok "promtool is not installed (Debian's prometheus package, harness/lib/packages.txt)"
fi
check "each alert has a test that fires it and one that keeps it quiet" \
  python3 "$HOIST_ROOT/harness/tools/alert-rules.py" coverage "$HOIST_ROOT/$RULES" "$HOIST_ROOT/$RULE_TESTS"
summary
[ "$failed" -eq 0 ]
