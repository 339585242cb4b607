#!/usr/bin/env bash
# harness/test.sh: install what is missing, build once, run the stages side by side, one table.
#
#   bash harness/test.sh                 every stage but the on-demand ones
#   bash harness/test.sh STAGE...        only these stages (e.g. `bash harness/test.sh e2e register`)
#   bash harness/test.sh --jobs N ...    at most N stages at once (default: HOIST_JOBS, else 4)
#   bash harness/test.sh --list          the stages, what each proves, and how long each took last
#   bash harness/test.sh --names         the stages a full run runs, one per line
#   bash harness/test.sh --write-times   after a full run: harness/README.md's table of stage times
#                                        from that run's results (the one table the docs quote)
#
# A stage is one scenario, harness/scenarios/STAGE.sh (harness/README.md says what each proves). A
# stage named BASE-ENGINE (java-26, java-26c, java-podman, e2e-podman; e2e-26 and e2e-26c when
# named) runs scenarios/BASE.sh on another Engine (harness/lib/engines.sh). Each stage starts the
# services it needs itself (its own dockerd, registry, NATS, Choria servers, in its own run folder),
# so stages share nothing but what is built once per run, before any stage starts: the jar and its test classes, the release tarball (both by
# harness/release.sh), Choria (harness/lib/choria.sh) and the Debian 13 roots (harness/lib/engines.sh),
# each cached or reused.
#
# Most stages spend their time waiting (Choria intervals, TTLs, health gates), so they run side by
# side, longest first (by the last recorded times), at most N at once; a stage of kind `alone` (one
# that needs the machine to itself: a benchmark) starts only when nothing runs and nothing starts
# beside it. Each stage's TAP is printed whole when it ends, never interleaved with another's; while
# stages run, one `# [time] started|ended` line each. At the end: the engine lines of the java
# stages, one table (stage, result, points, wall seconds, CPU seconds of its processes), the totals
# and `stages: N passed, M failed`. The run's results are also kept in target/test-run.tsv (for
# --write-times).
set -euo pipefail
# choria.sh sources common.sh and adds the Choria helpers (hoist_find_go for the Choria stages).
# shellcheck source=harness/lib/choria.sh
source "$(dirname "$0")/lib/choria.sh"
# shellcheck source=harness/lib/puppet.sh
source "$(dirname "$0")/lib/puppet.sh"

# STAGE|kind|what it proves. kind: `wait` (mostly waits on services), `cpu` (mostly computes: it
# runs beside waiting stages, never beside another `cpu` one) or `alone` (the machine to itself).
STAGES=(
  "tools|cpu|the harness's own tools (probe arithmetic, reply parsing, report reading, the release package, links) do their sums right"
  "unit|cpu|hoist-cli's unit tests: the commands, the contract corpus, the rollout policy, the lean start-up path against picocli's"
  "java|wait|hoist-cli's integration tests: the shaded jar run by its launcher (as on a node) on the real dockerd (Docker 20.10), registry and NATS"
  "puppet|cpu|the module: parser, lint, metadata, rspec-puppet (schema-validated machines) on Puppet 7 and 8, REFERENCE.md current"
  "release|cpu|the release tarball (harness/release.sh): the Forge layout only, Puppet's checksums.json, one version, reproducible"
  "apply|wait|a real puppet apply of the release tarball: files, modes, idempotence, removal, purge; Puppet 8 on a Debian 13 node gets Java"
  "upgrade|wait|containers started by each earlier release's tarball (0.1.0, 0.2.0): this tree's replaces none, then only the one whose spec changed"
  "e2e|wait|Puppet -> Choria server -> hoist-cli -> Docker: remediation, KV tags, transitions, Hiera changes, purge, Scout"
  "register|wait|register_ports: gossip watchers publish into CHORIA_SERVICES in RUN only, stop in maintenance and expire (no KV connection here)"
  "fleet|wait|three nodes, one governor, a 3-server NATS: rollouts without outage by a KV write and by image_poll, a broken release rolled back at once"
  "steer|wait|three nodes, one governor, a 3-server NATS: the rollouts an operator steers: canary, promote, abort, pause, resume, deadline"
  "faults|wait|concurrent restarts, a damaged state file, a malformed spec, a port clash, dockerd, NATS and the registry down"
  "java-26|wait|the integration tests that use the Engine on Docker 26 (Debian 13, a cached root) with the graph driver (vfs)"
  "java-26c|wait|the integration tests whose outcome the image store decides, on Docker 26 with the containerd image store"
  "java-podman|wait|the integration tests that use the Engine on Podman 4.3 (Debian 12), through its Docker API"
  "e2e-podman|wait|the e2e scenario on Podman 4.3: Puppet's hoist::engine podman, Choria, hoist-cli"
  "e2e-26|wait|the e2e scenario on Docker 26 with the graph driver"
  "e2e-26c|wait|the e2e scenario on Docker 26 with the containerd image store"
)
# Stages run only when named (harness/README.md says why each proves nothing the default run lacks).
ON_DEMAND=" e2e-26 e2e-26c "
TIMES_TABLE=$HOIST_ROOT/harness/README.md
RESULTS=$HOIST_ROOT/target/test-run.tsv

stage_script() { echo "$HOIST_ROOT/harness/scenarios/${1%%-*}.sh"; }
stage_engine() { case "$1" in *-*) echo "${1#*-}" ;; esac; }
stage_names() { local s; for s in "${STAGES[@]}"; do printf '%s\n' "${s%%|*}"; done; }
default_stage_names() { local s; for s in $(stage_names); do [[ $ON_DEMAND == *" $s "* ]] || echo "$s"; done; }
stage_field() { local s; for s in "${STAGES[@]}"; do [ "${s%%|*}" = "$1" ] && { cut -d'|' -f"$2" <<<"$s"; return 0; }; done; return 1; }
times_tool() { python3 "$HOIST_ROOT/harness/tools/stage-times.py" "$@"; }
# The wall seconds a stage took in the run harness/README.md's table was generated from (0: none).
recorded_seconds() { times_tool seconds "$TIMES_TABLE" "$1" 2>/dev/null || echo 0; }

jobs=${HOIST_JOBS:-4}
stages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --names) default_stage_names; exit 0 ;;
    --list)
      printf '%-11s %-5s %6s  %s\n' stage kind "secs" "what it proves (secs: wall time in the recorded run)"
      for s in $(stage_names); do
        what=$(stage_field "$s" 3)
        [[ $ON_DEMAND != *" $s "* ]] || what="(only when named) $what"
        printf '%-11s %-5s %6s  %s\n' "$s" "$(stage_field "$s" 2)" "$(recorded_seconds "$s")" "$what"
      done
      exit 0 ;;
    --write-times)
      [ -f "$RESULTS" ] || hoist_die "no $RESULTS: run the suite first"
      times_tool write "$TIMES_TABLE" "$RESULTS"
      echo "harness/README.md: stage times from $(head -n 1 "$RESULTS" | sed 's/^# //')"
      exit 0 ;;
    --jobs) jobs=${2:-}; shift 2 ;;
    --jobs=*) jobs=${1#--jobs=}; shift ;;
    -h | --help) sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) hoist_die "unknown option $1 (bash harness/test.sh --help)" ;;
    *) stages+=("$1"); shift ;;
  esac
done
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || hoist_die "--jobs takes a whole number from 1, got '$jobs'"
[ "${#stages[@]}" -gt 0 ] || mapfile -t stages < <(default_stage_names)
for s in "${stages[@]}"; do
  stage_field "$s" 1 >/dev/null || hoist_die "no stage '$s' (bash harness/test.sh --list)"
done

needs_choria=false needs_build=false needs_puppet8=false needs_docker26=false
for s in "${stages[@]}"; do
  case "${s%%-*}" in e2e | register | fleet | steer | faults) needs_choria=true ;; esac
  case "${s%%-*}" in unit | java | apply | e2e | upgrade | register | fleet | steer | faults) needs_build=true ;; esac
  case "$s" in puppet | apply) needs_puppet8=true ;; esac
  case "$(stage_engine "$s")" in 26 | 26c) needs_docker26=true ;; esac
done

run_started=$SECONDS
hoist_install_packages
hoist_setup_run test

# Built once, before any stage: what more than one stage needs.
built() { printf '# built once for the run: %s (%d s)\n' "$1" "$2"; }
if $needs_choria; then
  start=$SECONDS
  if [ -z "${HOIST_CHORIA_BIN:-}" ] && [ ! -x "$(hoist_choria_cache_dir)/choria" ]; then
    hoist_find_go || hoist_die "the e2e, register, fleet and faults stages need Go to build Choria $HOIST_CHORIA_VERSION (or HOIST_CHORIA_BIN)"
  fi
  HOIST_CHORIA_BIN=$(hoist_choria_bin) || hoist_die "no choria binary (harness/lib/choria.sh)"
  export HOIST_CHORIA_BIN
  built "Choria $HOIST_CHORIA_VERSION, $HOIST_CHORIA_BIN" $((SECONDS - start))
fi
if $needs_docker26; then
  start=$SECONDS
  root=$(hoist_debian_root "$HOIST_ENGINE_SUITE" "${HOIST_ENGINE_PACKAGES[@]}") || hoist_die "no Debian root for Docker 26"
  built "the Debian $HOIST_ENGINE_SUITE root Docker 26 runs from, $root" $((SECONDS - start))
fi
if $needs_puppet8; then
  start=$SECONDS
  root=$(hoist_puppet8_root) || hoist_die "no Debian root for Puppet 8"
  built "the Debian root Puppet 8 runs from, $root" $((SECONDS - start))
fi
if $needs_build; then
  # The jar (hoist-cli/target and files/), the test classes and the release tarball, by one
  # `mvn clean package` (harness/release.sh). No stage builds again: the java stages run their
  # tests from these classes, the others copy the jar or install the tarball.
  start=$SECONDS
  release_out=$(bash "$HOIST_ROOT/harness/release.sh") || hoist_die "harness/release.sh failed"
  HOIST_RELEASE_TARBALL=$(head -n 1 <<<"$release_out")
  [ -f "$HOIST_RELEASE_TARBALL" ] || hoist_die "harness/release.sh printed no tarball: $HOIST_RELEASE_TARBALL"
  hoist_ensure_build
  HOIST_BUILT=1
  export HOIST_RELEASE_TARBALL HOIST_BUILT
  built "hoist-cli.jar, its test classes and $(basename "$HOIST_RELEASE_TARBALL")" $((SECONDS - start))
fi

# Each stage's processes, the services it starts included, in a cpuacct cgroup of their own (cgroup
# v1, as root): what they used, user and system, whatever started them, and what is left behind.
# Without one (not root, no cpuacct), the subshell's `times`: the processes it waited for only.
CGROUPS=/sys/fs/cgroup/cpuacct
stage_cgroup() { echo "$CGROUPS/hoist-test-$$-$1"; }

# run_stage NAME: the stage with its output in $HOIST_RUN/stage-NAME.log; its exit status and the
# CPU seconds its processes used beside it (.rc, .cpu), then .done.
run_stage() {
  local name=$1 log=$HOIST_RUN/stage-$1.log cg
  cg=$(stage_cgroup "$1")
  (
    set +e
    counted=false
    if mkdir "$cg" 2>/dev/null && echo "$BASHPID" >"$cg/cgroup.procs" 2>/dev/null; then counted=true; fi
    HOIST_ENGINE=$(stage_engine "$name") bash "$(stage_script "$name")" </dev/null >"$log" 2>&1 &
    echo $! >"$log.pid"
    wait $!
    echo $? >"$log.rc"
    if $counted; then
      awk '{ printf "%d\n", $1 / 1e9 + 0.5 }' "$cg/cpuacct.usage" >"$log.cpu"
    else
      # `times`, second line: the children's user and system time.
      times | tail -n 1 | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); n += a[1] * 60 + a[2] } printf "%d\n", n + 0.5 }' >"$log.cpu"
    fi
    : >"$log.done"
  )
}
# left_behind NAME: the processes a stage left running (its cgroup is then kept); nothing when none.
left_behind() {
  local cg procs
  cg=$(stage_cgroup "$1")
  [ -d "$cg" ] || return 0
  rmdir "$cg" 2>/dev/null && return 0
  procs=$(while read -r p; do ps -o pid=,args= -p "$p" 2>/dev/null; done <"$cg/cgroup.procs" | cut -c1-120)
  [ -n "$procs" ] && printf '%s\n' "$procs"
}

passed=0 failed=0 rows=() engine_lines=() leftovers=()
: >"$HOIST_RUN/results.tsv"
# finish NAME SECONDS: print the stage's TAP whole and record its row.
finish() {
  local name=$1 secs=$2 log=$HOIST_RUN/stage-$1.log rc last points cpu result leftover
  rc=$(cat "$log.rc" 2>/dev/null || echo 255)
  cpu=$(cat "$log.cpu" 2>/dev/null)
  printf '\n# ==================== stage %s (%d s)\n' "$name" "$secs"
  cat "$log"
  # Every stage stops what it started: anything still running in its cgroup is named.
  sleep 0.2
  leftover=$(left_behind "$name")
  [ -z "$leftover" ] || { printf '# stage %s left these running:\n' "$name"; sed 's/^/#   /' <<<"$leftover"; leftovers+=("$name"); }
  last=$(grep -E "^$name: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -n 1 || true)
  # java's closing note: the engine, the API version hoist-cli spoke, the integration tests run.
  engine_lines+=("$(sed -n 's/^# \([a-z0-9.-]* on engine .*\)/\1/p' "$log" | tail -n 1)")
  points=${last#"$name: "}
  # A stage passes when its script exits 0 and its own last line says no point failed.
  if [ "$rc" -eq 0 ] && [ -n "$last" ] && [ "${points##*, }" = "0 failed" ]; then
    passed=$((passed + 1)) result=PASS
  else
    failed=$((failed + 1)) result="FAIL (exit $rc)"
  fi
  rows+=("$name|$result|${points:-no result line}|$secs|${cpu:-?}")
  printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$result" "${points:-no result line}" "$secs" "${cpu:-0}" >>"$HOIST_RUN/results.tsv"
}

# The queue: longest first by the recorded times (the longest stage bounds the run), a stage the
# table does not know yet first of all (it may be the longest), ties in --list order.
order_seconds() { times_tool seconds "$TIMES_TABLE" "$1" 2>/dev/null || echo 999999; }
mapfile -t queue < <(for s in "${stages[@]}"; do printf '%s %s\n' "$(order_seconds "$s")" "$s"; done | sort -s -k1,1nr | cut -d' ' -f2)
declare -A pid_of=() started_at=()
running=() cpu_running=false alone_running=false
stamp() { printf '# [%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
# can_start STAGE: --jobs, `alone` and one `cpu` stage at a time allow it now. While a `cpu` stage
# runs or waits in the queue, one of the N places is kept for it: the stages that compute run from
# the start, beside those that wait, rather than after them.
cpu_queued() { local q; for q in "${queue[@]}"; do [ "$(stage_field "$q" 2)" = cpu ] && return 0; done; return 1; }
can_start() {
  local kind waiting=0 r
  kind=$(stage_field "$1" 2)
  $alone_running && return 1
  [ "${#running[@]}" -lt "$jobs" ] || return 1
  case "$kind" in
    alone) [ "${#running[@]}" -eq 0 ] ;;
    cpu) ! $cpu_running ;;
    *)
      for r in "${running[@]}"; do [ "$(stage_field "$r" 2)" = cpu ] || waiting=$((waiting + 1)); done
      if [ "$jobs" -gt 1 ] && { $cpu_running || cpu_queued; }; then [ "$waiting" -lt $((jobs - 1)) ]; else return 0; fi ;;
  esac
}
start_next() { # start the first queued stage that may start now; return 1 when none may
  local i s
  for i in "${!queue[@]}"; do
    s=${queue[$i]}
    can_start "$s" || { [ "$(stage_field "$s" 2)" = alone ] && return 1; continue; }
    unset 'queue[i]'
    queue=("${queue[@]}")
    run_stage "$s" &
    pid_of[$s]=$!
    started_at[$s]=$SECONDS
    running+=("$s")
    case "$(stage_field "$s" 2)" in cpu) cpu_running=true ;; alone) alone_running=true ;; esac
    stamp "started $s (running: ${running[*]})"
    return 0
  done
  return 1
}
# Stop the stages still running when the run is interrupted: each scenario gets a TERM, and its own
# EXIT trap stops its services (by pid); then each stage's subshell ends with it.
hoist_before_stop() {
  local s pid
  for s in "${running[@]}"; do
    # The pid is the background job's; bash may run the scenario as its child rather than exec it:
    # both get the TERM (by pid: the job and its children).
    pid=$(cat "$HOIST_RUN/stage-$s.log.pid" 2>/dev/null) || continue
    kill -TERM $(pgrep -P "$pid") "$pid" 2>/dev/null || true
  done
  for s in "${running[@]}"; do wait "${pid_of[$s]}" 2>/dev/null || true; done
}

first_stage_at=$SECONDS
while [ "${#queue[@]}" -gt 0 ] || [ "${#running[@]}" -gt 0 ]; do
  while [ "${#queue[@]}" -gt 0 ] && start_next; do :; done
  pids=()
  for s in "${running[@]}"; do pids+=("${pid_of[$s]}"); done
  wait -n "${pids[@]}" 2>/dev/null || true
  # Every stage that has ended (run_stage writes .done last), in the order they are listed.
  for i in "${!running[@]}"; do
    s=${running[$i]}
    [ -f "$HOIST_RUN/stage-$s.log.done" ] || continue
    wait "${pid_of[$s]}" 2>/dev/null || true
    unset 'running[i]'
    case "$(stage_field "$s" 2)" in cpu) cpu_running=false ;; alone) alone_running=false ;; esac
    stamp "ended $s"
    finish "$s" $((SECONDS - started_at[$s]))
  done
  running=("${running[@]}")
done

echo
for l in "${engine_lines[@]}"; do [ -z "$l" ] || printf '%s\n' "$l"; done
total_cpu=0
printf '\n%-11s %-16s %-24s %7s %7s\n' stage result points seconds cpu-s
for r in "${rows[@]}"; do
  IFS='|' read -r name result points secs cpu <<<"$r"
  printf '%-11s %-16s %-24s %7s %7s\n' "$name" "$result" "$points" "$secs" "$cpu"
  total_cpu=$((total_cpu + ${cpu:-0}))
done
wall=$((SECONDS - run_started))
printf 'run: %d s wall (%d s of it before the first stage: installs and builds), %d CPU-s in the stages, --jobs %d on %d cores\n' \
  "$wall" "$((first_stage_at - run_started))" "$total_cpu" "$jobs" "$(nproc)"
# The results, kept for --write-times (harness/README.md's table of stage times).
mkdir -p "$(dirname "$RESULTS")"
{
  printf '# %s, commit %s, --jobs %d on %d cores, %d s wall\n' "$(date -u +%F)" "$(git -C "$HOIST_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" "$jobs" "$(nproc)" "$wall"
  cat "$HOIST_RUN/results.tsv"
} >"$RESULTS"
[ "${#leftovers[@]}" -eq 0 ] || printf 'stages that left processes running (listed under each): %s\n' "${leftovers[*]}"
printf 'stages: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
