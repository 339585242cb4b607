#!/usr/bin/env bash
# harness/soak.sh: run the suite (or some stages) again and again, and print how often each stage
# failed: the proof that the tests do not fail at random.
#
#   bash harness/soak.sh [--runs N] [--load] [--reuse] [STAGE...]
#
#   --runs N   how many runs (default 3)
#   --load     keep one core busy for the whole soak (stress-ng --cpu 1, stopped by pid at the end),
#              as a noisy CI machine would
#   --reuse    one fresh clone for every run (the jar is built once) instead of one clone per run
#   STAGE...   the stages to run (default: all; `bash harness/test.sh --list`)
#
# Each run is `CI=true bash harness/test.sh STAGE...` in a fresh clone of this repository's HEAD
# (committed work only, as CI runs it), with ../shared beside it, its output in
# $HOIST_SOAK_DIR/run-N.log (default: a folder under /tmp, kept, named at the start). Runs go
# one after another. At the end: one row per stage (runs, failures, slowest and median seconds),
# the command line, and `soak: N passed, M failed` counting runs; exit 1 when any run failed.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

runs=3 load=false reuse=false stages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --load) load=true; shift ;;
    --reuse) reuse=true; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) hoist_die "unknown option $1 (see --help)" ;;
    *) stages+=("$1"); shift ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || hoist_die "--runs takes a whole number, got '$runs'"
command -v git >/dev/null || hoist_die "git is needed"
shared=$(cd "$HOIST_ROOT/.." && pwd)/shared
[ -d "$shared" ] || hoist_die "no ../shared beside the repository ($shared): the suite needs it"

dir=${HOIST_SOAK_DIR:-$(mktemp -d /tmp/hoist-soak.XXXXXX)}
mkdir -p "$dir"
head=$(git -C "$HOIST_ROOT" rev-parse --short HEAD)
hoist_log "soak of $head: $runs run(s) of ${stages[*]:-every stage}$($load && echo ', one core kept busy'); logs in $dir"

STRESS_PID=
stop_stress() { [ -z "$STRESS_PID" ] || hoist_stop_pid "$STRESS_PID" stress-ng; STRESS_PID=; }
trap 'stop_stress' EXIT
trap 'exit 130' INT TERM
if $load; then
  if ! command -v stress-ng >/dev/null; then
    hoist_sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive hoist_sudo apt-get install -y -qq stress-ng >&2 ||
      hoist_die "cannot install stress-ng"
  fi
  stress-ng --cpu 1 --timeout 0 --quiet &
  STRESS_PID=$!
fi

# clone DEST: a fresh clone of HEAD at DEST/main, with DEST/shared pointing at ../shared.
clone() {
  rm -rf "$1"
  mkdir -p "$1"
  git clone -q "$HOIST_ROOT" "$1/main" && ln -s "$shared" "$1/shared"
}

declare -A fails times
run_failures=0
for ((i = 1; i <= runs; i++)); do
  work=$dir/clone-$i
  if $reuse && [ "$i" -gt 1 ]; then work=$dir/clone-1; else clone "$work" || hoist_die "git clone failed"; fi
  log=$dir/run-$i.log
  start=$SECONDS
  (cd "$work/main" && CI=true bash harness/test.sh "${stages[@]}") >"$log" 2>&1
  rc=$?
  [ "$rc" -eq 0 ] || run_failures=$((run_failures + 1))
  # The results test.sh keeps of its run (target/test-run.tsv): NAME, RESULT, POINTS, WALL, CPU.
  while IFS=$'\t' read -r name result _ secs _; do
    times[$name]="${times[$name]:-} $secs"
    [ "$result" = PASS ] || fails[$name]=$((${fails[$name]:-0} + 1))
    : "${fails[$name]:=0}"
  done < <(grep -v '^#' "$work/main/target/test-run.tsv" 2>/dev/null)
  cp "$work/main/target/test-run.tsv" "$dir/run-$i.tsv" 2>/dev/null || true
  hoist_log "run $i of $runs: exit $rc in $((SECONDS - start))s: $(tail -n 1 "$log")"
  $reuse || rm -rf "$work"
done
stop_stress
rm -rf "$dir/clone-1"

printf '\nsoak of %s: %s\n' "$head" "bash harness/soak.sh --runs $runs$($load && echo ' --load')$($reuse && echo ' --reuse') ${stages[*]}"
printf '%-9s %5s %9s %12s %12s\n' stage runs failures "slowest (s)" "median (s)"
for s in $(bash "$HOIST_ROOT/harness/test.sh" --list | awk 'NR > 1 { print $1 }'); do
  [ -n "${times[$s]:-}" ] || continue
  read -r -a t <<<"${times[$s]}"
  n=${#t[@]}
  sorted=$(printf '%s\n' "${t[@]}" | sort -n)
  printf '%-9s %5d %9d %12s %12s\n' "$s" "$n" "${fails[$s]}" "$(tail -n 1 <<<"$sorted")" "$(sed -n "$(((n + 1) / 2))p" <<<"$sorted")"
done
echo "soak: $((runs - run_failures)) passed, $run_failures failed"
[ "$run_failures" -eq 0 ]
