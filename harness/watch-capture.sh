#!/usr/bin/env bash
# harness/watch-capture.sh: the README's capture of `choria scout watch` (a terminal UI, so it runs
# in a detached tmux pane) across a `docker kill` of the demo's container and its remediation.
#
#   bash harness/demo.sh && bash harness/watch-capture.sh
#
# Needs the running demo (its folder /tmp/hoist-demo, see harness/demo.sh) and tmux. It starts one
# tmux session of its own, waits until the pane shows hoist_weather OK, CRITICAL after the kill and
# OK again (bounded: 120 s), prints the pane, and kills that session (by its name). Exit 1 when
# the pane never showed the three.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then exec sudo bash "$0" "$@"; fi

DEMO=/tmp/hoist-demo
[ -f "$DEMO/env" ] || { echo "no demo is running: bash harness/demo.sh" >&2; exit 1; }
# shellcheck source=/dev/null
source "$DEMO/env"
NAME=weather
SESSION=hoist-scout-watch-$$
BOUND=120  # the kill, a check (every 10 s in the demo), remediation (a start, ~10 s), a check

cleanup() { tmux kill-session -t "$SESSION" 2>/dev/null || true; }
trap cleanup EXIT

pane() { tmux capture-pane -p -t "$SESSION"; }
# shown STATUS...: the pane's Checks panel shows hoist_NAME with each STATUS, in that order.
SHOWN='
import re, sys
name, wanted = sys.argv[1], sys.argv[2:]
seen = [m.group(1) for m in (re.search(r"\b(OK|WARN|CRIT|UNKN) +\S+ hoist_" + name + r":", l) for l in sys.stdin) if m]
it = iter(seen)
sys.exit(0 if all(any(s == w for s in it) for w in wanted) else 1)
'
shown() { pane | python3 -c "$SHOWN" "$NAME" "$@"; }
wait_for() {
  local deadline=$((SECONDS + BOUND))
  until shown "$@"; do
    ((SECONDS < deadline)) || { echo "the pane never showed hoist_$NAME: $*" >&2; pane >&2; exit 1; }
    sleep 1
  done
}

tmux new-session -d -s "$SESSION" -x 150 -y 32 \
  "$DEMO/bin/choria scout watch --config $HOIST_CHORIA_CLIENT_CONFIG"
wait_for OK
DOCKER_HOST=$HOIST_DOCKER_HOST docker kill "hoist_$NAME" >/dev/null
wait_for OK CRIT
wait_for OK CRIT OK
pane
