# shellcheck shell=bash
# harness/lib/scenario.sh: how a scenario (harness/scenarios/NAME.sh) asserts and reports.
#
# Output is TAP: `ok N - TEXT` or `not ok N - TEXT`, with the evidence of a failure under it as
# `# ` lines (what was expected, what was seen, the last 20 lines of each log the scenario names);
# everything else a scenario prints is a `# ` line too (note, step). It ends with the plan `1..N`
# and the plain line `NAME: N passed, M failed`.
#
# The only waits are `eventually` and `consistently` (as go-choria's integration tests use
# Gomega's Eventually/Consistently). Each call site says what it waits for; its bound is a named
# constant of the scenario with a comment saying why the bound is safe. "This happened after that"
# is read from a log cursor taken before the action (log_cursor, log_since), never from line counts.
#
#   scenario_begin NAME             passed=0, failed=0, timings=(); the clock of step and totals
#   now / since T0                  the time (epoch seconds, with nanoseconds) / seconds since T0
#   note TEXT...                    a `# ` line (a multi-line TEXT gets `# ` on every line)
#   quote [PREFIX]                  stdin as `# | ` lines (evidence: a command's output, a file)
#   step TEXT                       a heading: `# == TEXT  (+Ns)`
#   ok TEXT / not_ok TEXT           a passed / failed test point (not_ok prints the evidence)
#   check TEXT COMMAND...           one assertion, now; returns 1 when it failed
#   eventually S TEXT COMMAND...    COMMAND succeeds within S seconds (polled every 0.25 s); WAITED
#                                   is set to the seconds it took
#   consistently S TEXT COMMAND...  COMMAND keeps succeeding for S seconds (polled every 0.5 s)
#   abort TEXT                      a failed test point that ends the scenario: summary, exit 1
#   log_cursor FILE                 prints FILE's size now: the cursor for log_since
#   log_since FILE CURSOR TEXT      FILE holds TEXT after CURSOR
#   scenario_table WIDTH HEADER     the $timings table ("NAME|VALUE" rows; a row with no value is a
#                                   heading), as `# ` lines
#   scenario_result                 the plan and the last line: `NAME: N passed, M failed`
#   scenario_services               the harness's dockerd, registry and NATS when test.sh exported
#                                   them, else its own; with HOIST_ENGINE (20.10, 26, 26c, podman: see
#                                   lib/engines.sh) other than the exported one's, its own engine
#                                   beside test.sh's registry and NATS. Notes the engine's version.
#   scenario_own_services           true when scenario_services would start something
#
# Evidence. A predicate may set SAW to what it saw ("state MAINTENANCE", "body 'hoist-web v1'"):
# a failure prints `# expected: TEXT` and `# saw: $SAW`, or, where no SAW was set, the exit status
# and the last lines the command printed. A scenario defines `scenario_logs` to print the logs that
# explain a failure, one `LABEL|FILE` line each; their last 20 lines follow every failed point.

scenario_begin() {
  # An engine stage (HOIST_ENGINE=26c: stage java-26c) reports under its stage's name.
  SCENARIO_NAME=$1${HOIST_ENGINE:+-$HOIST_ENGINE}
  SCENARIO_STARTED=$SECONDS
  passed=0
  failed=0
  timings=()
  WAITED=0
  SAW=
  SCENARIO_OUT=$(mktemp "/tmp/hoist-scenario-$1.XXXXXX")
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f\n", b - a }'; }

note() { printf '%s\n' "$*" | sed 's/^/# /'; }
quote() { sed -u "s/^/# ${1:-|} /"; }
step() { printf '#\n# == %s  (+%ss)\n' "$*" "$((SECONDS - SCENARIO_STARTED))"; }

ok() {
  passed=$((passed + 1))
  printf 'ok %d - %s\n' "$((passed + failed))" "$*"
  SAW= SCENARIO_EXPECTED= SCENARIO_RC= SCENARIO_CMD=
}

# not_ok TEXT: a failed point, then its evidence: SAW (or the last command's status and output,
# from scenario__ran) and the tail of each log the scenario names.
not_ok() {
  failed=$((failed + 1))
  printf 'not ok %d - %s\n' "$((passed + failed))" "$*"
  if [ -n "${SCENARIO_EXPECTED:-}" ]; then printf '#   expected: %s\n' "$SCENARIO_EXPECTED"; fi
  if [ -n "${SAW:-}" ]; then
    printf '#   saw: %s\n' "$SAW"
  elif [ -n "${SCENARIO_RC:-}" ]; then
    printf '#   saw: exit %s from: %s\n' "$SCENARIO_RC" "$SCENARIO_CMD"
    if [ -s "$SCENARIO_OUT" ]; then tail -n 5 "$SCENARIO_OUT" | cut -c1-300 | sed 's/^/#   | /'; fi
  fi
  scenario__log_tails
  SAW= SCENARIO_EXPECTED= SCENARIO_RC= SCENARIO_CMD=
}

scenario__log_tails() {
  declare -F scenario_logs >/dev/null || return 0
  local row label file
  while IFS= read -r row; do
    label=${row%%|*} file=${row#*|}
    [ -s "$file" ] || continue
    printf '#   --- last 20 lines of %s (%s)\n' "$label" "$file"
    tail -n 20 "$file" | cut -c1-400 | sed 's/^/#   | /'
  done < <(scenario_logs 2>/dev/null)
}

# scenario__ran COMMAND...: run it in this shell (so that it can set SAW), its output kept for
# the evidence; returns its status.
scenario__ran() {
  SAW=
  SCENARIO_CMD="$*"
  "$@" >"$SCENARIO_OUT" 2>&1
  SCENARIO_RC=$?
  return "$SCENARIO_RC"
}

# check DESCRIPTION COMMAND...: one assertion, now.
check() {
  local what=$1
  shift
  if scenario__ran "$@"; then
    ok "$what"
  else
    SCENARIO_EXPECTED="$what"
    not_ok "$what"
    return 1
  fi
}

# eventually SECONDS DESCRIPTION COMMAND...: COMMAND succeeds within SECONDS; sets WAITED.
eventually() {
  local limit=$1 what=$2 t0 deadline
  shift 2
  t0=$(now)
  deadline=$((SECONDS + limit))
  while :; do
    if scenario__ran "$@"; then
      WAITED=$(since "$t0")
      ok "$what (${WAITED}s)"
      return 0
    fi
    ((SECONDS < deadline)) || break
    sleep 0.25
  done
  WAITED=$(since "$t0")
  SCENARIO_EXPECTED="within ${limit}s: $what"
  not_ok "$what: not within ${limit}s"
  return 1
}

# consistently SECONDS DESCRIPTION COMMAND...: COMMAND keeps succeeding for SECONDS.
consistently() {
  local limit=$1 what=$2 t0 deadline
  shift 2
  t0=$(now)
  deadline=$((SECONDS + limit))
  while ((SECONDS < deadline)); do
    if ! scenario__ran "$@"; then
      SCENARIO_EXPECTED="for ${limit}s: $what"
      not_ok "$what: stopped holding after $(since "$t0")s"
      return 1
    fi
    sleep 0.5
  done
  ok "$what (held for ${limit}s)"
}

# The scenario cannot go on: a failed point with its evidence, the summary, exit 1.
abort() {
  not_ok "$* (the scenario stops here)"
  summary
  exit 1
}

log_cursor() { if [ -f "$1" ]; then stat -c %s "$1"; else echo 0; fi; }
# log_since FILE CURSOR TEXT: TEXT is in FILE after byte CURSOR (grep reads it all: no SIGPIPE).
log_since() { [ -f "$1" ] && tail -c +"$(($2 + 1))" "$1" | grep -F -- "$3" >/dev/null; }

# scenario_table WIDTH HEADER: the times (and other values) the scenario measured.
scenario_table() {
  local width=$1 row
  printf '#\n# %-*s %s\n' "$width" "measured" "$2"
  for row in "${timings[@]}"; do
    if [ -z "${row#*|}" ]; then printf '# %s\n' "${row%%|*}"; else printf '# %-*s %s\n' "$width" "${row%%|*}" "${row#*|}"; fi
  done
}

scenario_result() {
  rm -f "$SCENARIO_OUT"
  printf '1..%d\n' "$((passed + failed))"
  echo "$SCENARIO_NAME: $passed passed, $failed failed"
}

# The engine the scenario runs on: HOIST_ENGINE (test.sh sets it for an engine stage such as
# java-26c), else the one test.sh started (HOIST_DOCKER_ENGINE), else 20.10.
scenario_engine() { echo "${HOIST_ENGINE:-${HOIST_DOCKER_ENGINE:-20.10}}"; }

# True when scenario_services would start something (call hoist_setup_run first then).
scenario_own_services() {
  [ -z "${HOIST_DOCKER_HOST:-}" ] || [ -z "${HOIST_REGISTRY:-}" ] || [ -z "${HOIST_NATS_PORT:-}" ] ||
    [ "${HOIST_DOCKER_ENGINE:-20.10}" != "$(scenario_engine)" ]
}

scenario_services() {
  if ! scenario_own_services; then
    hoist_log "using the harness's dockerd ($HOIST_DOCKER_HOST), registry ($HOIST_REGISTRY) and NATS ($HOIST_NATS_URL)"
  else
    hoist_install_packages
    local images=false
    # An engine stage keeps test.sh's registry (hoist/web:v1..v4 pushed) and NATS.
    if [ -z "${HOIST_REGISTRY:-}" ] || [ -z "${HOIST_NATS_PORT:-}" ]; then
      hoist_start_registry
      hoist_start_nats
      images=true
    fi
    hoist_start_engine "$(scenario_engine)"
    if $images; then hoist_build_test_images; fi
  fi
  note "$(hoist_engine_line)"
}
