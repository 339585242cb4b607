# shellcheck shell=bash
# harness/scenario.sh: the assertion helpers of the scenario scripts (harness/e2e.sh, harness/fleet.sh,
# harness/register-test.sh).
#
# Source it after harness/choria.sh (it needs lib.sh's hoist_wait_until), call scenario_begin where
# the scenario starts, then assert. Each check prints one line, `ok     - ...` or `FAILED - ...`, and
# counts in $passed or $failed. The script defines what is its own: diagnose (what helps when the
# scenario stops), summary (its closing lines, ending with scenario_result), measured if it keeps a
# table of times in $timings ("NAME|VALUE" rows), and what its checks look at.
#
#   scenario_begin NAME             passed=0, failed=0, timings=(); the clock step and the totals use
#   now                             the time, seconds since the epoch with nanoseconds
#   since T0                        seconds from T0 (a `now`) to now, one decimal
#   ok TEXT / not_ok TEXT           a passed / failed check, printed and counted
#   step TEXT                       a heading: `== TEXT  (+Ns)`, N seconds since scenario_begin
#   check TEXT COMMAND...           one assertion, now; returns 1 when it failed
#   within S TEXT COMMAND...        an assertion with a bounded wait (hoist_wait_until); sets WAITED
#   for_at_least S TEXT COMMAND...  COMMAND keeps succeeding for S seconds
#   abort TEXT                      a failed check that ends the scenario: diagnose, summary, exit 1
#   scenario_table WIDTH HEADER     the $timings table: `measured` and HEADER, then a row each (a row
#                                   with no value is printed as a heading)
#   scenario_result                 the last line: `NAME: N passed, M failed`
#   scenario_services               use the harness's dockerd, registry and NATS when HOIST_DOCKER_HOST,
#                                   HOIST_REGISTRY and HOIST_NATS_PORT are set, else start its own
#   server_log_count TEXT           how many lines of the choria server log $SLOG hold TEXT
#   server_log_grew TEXT N          more than N of them

scenario_begin() {
  SCENARIO_NAME=$1
  SCENARIO_STARTED=$SECONDS
  passed=0
  failed=0
  timings=()
  WAITED=0
}

now() { date +%s.%N; }
since() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$(now)"; }
ok() { passed=$((passed + 1)); echo "ok     - $*"; }
not_ok() { failed=$((failed + 1)); echo "FAILED - $*"; }
step() { printf '\n== %s  (+%ss)\n' "$*" "$((SECONDS - SCENARIO_STARTED))"; }

# check DESCRIPTION COMMAND...: one assertion, now.
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; return 1; fi
}

# within SECONDS DESCRIPTION COMMAND...: an assertion with a bounded wait; sets WAITED (seconds).
within() {
  local limit=$1 what=$2 t0
  shift 2
  t0=$(now)
  if hoist_wait_until "$limit" "$what" "$@" 2>/dev/null; then
    WAITED=$(since "$t0")
    ok "$what (${WAITED}s)"
  else
    WAITED=$(since "$t0")
    not_ok "$what: not within ${limit}s"
    return 1
  fi
}

# for_at_least SECONDS DESCRIPTION COMMAND...: COMMAND keeps succeeding for SECONDS.
for_at_least() {
  local limit=$1 what=$2 deadline
  shift 2
  deadline=$((SECONDS + limit))
  while ((SECONDS < deadline)); do
    if ! "$@" >/dev/null 2>&1; then
      not_ok "$what: stopped holding after $((limit - deadline + SECONDS))s"
      return 1
    fi
    sleep 0.5
  done
  ok "$what (held for ${limit}s)"
}

# The scenario cannot go on: say why, show what helps (the script's diagnose), and fail.
abort() {
  not_ok "$* (the scenario stops here)"
  diagnose
  summary
  exit 1
}

# scenario_table WIDTH HEADER: the times (and other values) the scenario measured.
scenario_table() {
  local width=$1 row
  printf '\n%-*s %s\n' "$width" "measured" "$2"
  for row in "${timings[@]}"; do
    if [ -z "${row#*|}" ]; then printf '%s\n' "${row%%|*}"; else printf '%-*s %s\n' "$width" "${row%%|*}" "${row#*|}"; fi
  done
}

scenario_result() { echo "$SCENARIO_NAME: $passed passed, $failed failed"; }

scenario_services() {
  if [ -n "${HOIST_DOCKER_HOST:-}" ] && [ -n "${HOIST_REGISTRY:-}" ] && [ -n "${HOIST_NATS_PORT:-}" ]; then
    hoist_log "using the harness's dockerd ($HOIST_DOCKER_HOST), registry ($HOIST_REGISTRY) and NATS ($HOIST_NATS_URL)"
  else
    hoist_install_packages
    # shellcheck disable=SC2119  # the run's own dockerd: no NAME
    hoist_start_dockerd
    hoist_start_registry
    hoist_start_nats
    hoist_build_test_images
  fi
}

server_log_count() { grep -cF -- "$1" "$SLOG" 2>/dev/null || true; }
server_log_grew() { [ "$(server_log_count "$1")" -gt "$2" ]; }
