#!/usr/bin/env bash
# harness/scenarios/tools.sh: the harness's own tools (harness/tools/*.py) are right: their unit
# tests (harness/tools/test_*.py, Python's unittest), one TAP point per test; then, one point
# each, every link and anchor in the repository's Markdown leads somewhere (harness/tools/links.py),
# the table of stage times in harness/README.md names the suite's stages, and no shell script pipes
# into `grep -q`. Then the alerting
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
# The table of stage times is generated from a run (bash harness/test.sh --write-times): it must
# name exactly the stages a full run runs, or a stage was added or removed since it was made.
times_current() {
  SAW=$(python3 "$HOIST_ROOT/harness/tools/stage-times.py" check "$HOIST_ROOT/harness/README.md" \
    $(bash "$HOIST_ROOT/harness/test.sh" --names) 2>&1)
}
check "harness/README.md's table of stage times names exactly the stages of a full run" times_current

# The docs: a link or anchor that leads nowhere (a page moved, a heading renamed) fails here.
every_link_leads_somewhere() {
  local rc=0
  SAW=$("$HOIST_ROOT/harness/tools/links.py" "$HOIST_ROOT" 2>&1) || rc=1
  return "$rc"
}
check "every link and anchor in the repository's Markdown leads somewhere" every_link_leads_somewhere

# No shell script pipes into `grep -q`: under pipefail, grep leaves at its first match, the writer's
# next write gets SIGPIPE and the pipeline fails although the text was there: a check that fails at
# random (register's has_key did, 1 run in 3). Read the text once and search that, or let grep read
# it all (`grep PATTERN >/dev/null`). A comment line may name the pattern.
GREP_Q='(^|[^|])[|][[:space:]]*grep([[:space:]]+-[[:alnum:]]+)*[[:space:]]+-[[:alnum:]]*q'
pipes_into_grep_q() { grep -nE -- "$GREP_Q" "$@" /dev/null | grep -vE '^[^:]+:[0-9]+:[[:space:]]*#'; }
no_pipe_into_grep_q() {
  local files
  mapfile -t files < <(cd "$HOIST_ROOT" && git ls-files '*.sh' .ci/run files/hoist-cli 2>/dev/null)
  [ "${#files[@]}" -gt 0 ] || { SAW="git ls-files found no shell script"; return 1; }
  SAW=$(cd "$HOIST_ROOT" && pipes_into_grep_q "${files[@]}")
  [ -z "$SAW" ]
}
# The rule finds what it forbids, and leaves alone `||` between two greps and a comment.
rule_finds_grep_q() {
  local sample g=grep  # spelled through $g, so that this file does not break its own rule
  sample=$(mktemp)
  printf '%s\n' "x | $g -qF y" "x |$g -F -q y" "$g -q a f || $g -q b f" "  # x | $g -q y" >"$sample"
  SAW=$(pipes_into_grep_q "$sample" | cut -d: -f2 | paste -sd,)
  rm -f "$sample"
  [ "$SAW" = "1,2" ]
}
check "the rule against pipes into grep -q finds lines 1 and 2 of its sample, and only those" rule_finds_grep_q
check "no shell script pipes into grep -q (SIGPIPE under pipefail)" no_pipe_into_grep_q

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
