#!/usr/bin/env bash
# harness/choria-smoke.sh: proves, against a real nats-server and a real choria 0.30.2 server
# (built by harness/choria.sh), the Choria runtime behaviour that Hoist depends on:
#   a. kv watcher (poll, interval, bucket_prefix false) -> success_transition -> exec watcher
#      sees the machine data in $WATCHER_DATA and a minimal environment
#   b. choria req choria_util machine_state / machine_transition from a client config
#   c. choria machine validate
#   d. a governor (choria governor add NAME 1 1m) and an exec watcher with `governor: NAME`
#   plus: exec watcher scheduling (no run at start, run on state entry, never concurrent),
#   exec output logging, file watcher paths, machine load/unload latency.
# Everything runs in a temp dir (lib.sh's hoist_setup_run); every process is started through
# hoist_spawn and stopped by pid in the EXIT trap (hoist_stop_all).
# Exit status: 0 when every check passed. HOIST_SMOKE_KEEP=1 keeps the temp dir.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=harness/choria.sh
source "$HERE/choria.sh"

IDENTITY="smoke1.example"
hoist_setup_run choria-smoke
WORK="$HOIST_RUN"
STORE="$WORK/store"
OUTSIDE="$WORK/outside"
CLIENT="$WORK/choria/client.cfg"
SLOG="$WORK/choria/$IDENTITY.log"
PASSED=0
FAILED=0
# HOIST_SMOKE_KEEP=1 keeps the run folder (lib.sh's HOIST_KEEP_RUN).
[[ "${HOIST_SMOKE_KEEP:-}" != 1 ]] || export HOIST_KEEP_RUN=1

# Called by lib.sh's EXIT trap when the script fails, before everything is stopped.
hoist_on_failure() {
    if [[ -f "$SLOG" ]]; then
        echo "--- last lines of the choria server log"
        tail -n 40 "$SLOG" || true
    fi
}

say() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$2"; }

check() {
    local what="$1"
    shift
    if "$@"; then
        PASSED=$((PASSED + 1))
        echo "ok   - $what"
    else
        FAILED=$((FAILED + 1))
        echo "FAIL - $what"
    fi
}

# runs `choria ARGS --config CLIENT`, showing the command line (config path abbreviated)
cli() {
    echo "+ choria $* --config client.cfg" >&2
    hoist_choria "$@"
}

state_is() { [[ "$(hoist_machine_state "$IDENTITY" "$1" 2>/dev/null)" == "$2" ]]; }
wait_state() { hoist_wait_until "$3" "machine $1 in state $2" state_is "$1" "$2"; }
has_file() { [[ -s "$1" ]]; }
log_has() { grep -qF -- "$1" "$SLOG"; }
machine_known() { hoist_machine_state "$IDENTITY" "$1" >/dev/null 2>&1; }
machine_unknown() { ! machine_known "$1"; }

# ---------------------------------------------------------------- machines
write_machines() {
    local m

    # smoke: kv -> update -> exec dump -> done -> ran ; reset (manual) -> idle
    m="$STORE/smoke"
    mkdir -p "$m"
    cat >"$m/dump.sh" <<'EOF'
#!/bin/sh
out="$(dirname "$0")/dump.out"
{
    echo "argv: $*"
    echo "cwd: $(pwd)"
    echo "--- environ"
    tr '\0' '\n' </proc/$$/environ | sort
    echo "--- data"
    cat "$WATCHER_DATA"
    echo
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "hoist-smoke stdout line"
echo "hoist-smoke stderr line" >&2
EOF
    cat >"$m/machine.yaml" <<EOF
name: smoke
version: 1.0.0
initial_state: idle
transitions:
  - name: update
    from: [idle, ran]
    destination: updated
  - name: done
    from: [updated]
    destination: ran
  - name: reset
    from: [ran]
    destination: idle
watchers:
  - name: tag
    type: kv
    interval: 5s
    state_match: [idle, ran]
    success_transition: update
    properties:
      bucket: HOIST
      key: container/weather/tag
      mode: poll
      bucket_prefix: false
  - name: tag_plain
    type: kv
    interval: 5s
    properties:
      bucket: HOIST_weather
      key: TAG
      mode: poll
      bucket_prefix: false
  - name: tag_prefixed
    type: kv
    interval: 5s
    properties:
      bucket: HOIST_weather
      key: TAG
      mode: poll
  - name: dump
    type: exec
    state_match: [updated]
    success_transition: done
    properties:
      command: $m/dump.sh {{ lookup "data.container/weather/tag" "none" }}
      timeout: 10s
      environment:
        - HOIST_EXTRA=hello
EOF

    # gov: kick (interval, initial state) -> running -> work (governor, no interval) -> finished
    #      never: no interval, initial state: must not run at machine start
    m="$STORE/gov"
    mkdir -p "$m"
    cat >"$m/stamp.sh" <<'EOF'
#!/bin/sh
# stamp.sh NAME [SLEEP]: records start/end times of a run in NAME.runs
f="$(dirname "$0")/$1.runs"
echo "start $(date +%s.%N) $$" >>"$f"
sleep "${2:-0}"
echo "end $(date +%s.%N) $$" >>"$f"
EOF
    cat >"$m/machine.yaml" <<EOF
name: gov
version: 1.0.0
initial_state: start
transitions:
  - name: go
    from: [start]
    destination: running
  - name: finished
    from: [running]
    destination: finished
  - name: failed
    from: [running]
    destination: failed
watchers:
  - name: kick
    type: exec
    state_match: [start]
    interval: 3s
    success_transition: go
    properties:
      command: $m/stamp.sh kick
  - name: never
    type: exec
    state_match: [start]
    properties:
      command: $m/stamp.sh never
  - name: work
    type: exec
    state_match: [running]
    success_transition: finished
    fail_transition: failed
    properties:
      command: $m/stamp.sh work 1
      governor: hoist_smoke
      governor_timeout: 20s
      timeout: 10s
EOF

    # overlap: slow exec (2 s) on a 1 s interval in two states that we flip between
    m="$STORE/overlap"
    mkdir -p "$m"
    cp "$STORE/gov/stamp.sh" "$m/stamp.sh"
    cat >"$m/machine.yaml" <<EOF
name: overlap
version: 1.0.0
initial_state: idle
transitions:
  - name: flip
    from: [idle]
    destination: again
  - name: flop
    from: [again]
    destination: idle
watchers:
  - name: slow
    type: exec
    state_match: [idle, again]
    interval: 1s
    properties:
      command: $m/stamp.sh slow 2
      timeout: 10s
EOF

    # failing: an exec that prints and exits 3 -> fail_transition; is its output logged?
    m="$STORE/failing"
    mkdir -p "$m"
    cat >"$m/fail.sh" <<'EOF'
#!/bin/sh
echo "hoist-smoke error line on stdout"
echo "hoist-smoke error line on stderr" >&2
exit 3
EOF
    cat >"$m/machine.yaml" <<EOF
name: failing
version: 1.0.0
initial_state: start
transitions:
  - name: broken
    from: [start]
    destination: broken
watchers:
  - name: fails
    type: exec
    state_match: [start]
    interval: 2s
    fail_transition: broken
    properties:
      command: $m/fail.sh
EOF

    # files_abs: absolute path outside the machine dir + gather_initial_state
    mkdir -p "$OUTSIDE"
    echo a >"$OUTSIDE/abs.conf"
    m="$STORE/files_abs"
    mkdir -p "$m"
    cat >"$m/machine.yaml" <<EOF
name: files_abs
version: 1.0.0
initial_state: watching
transitions:
  - name: changed
    from: [watching]
    destination: changed
  - name: missing
    from: [watching]
    destination: missing
watchers:
  - name: conf
    type: file
    interval: 1s
    state_match: [watching]
    success_transition: changed
    fail_transition: missing
    properties:
      path: $OUTSIDE/abs.conf
      gather_initial_state: true
EOF

    # files_rel: relative path, no gather_initial_state
    m="$STORE/files_rel"
    mkdir -p "$m"
    echo r >"$m/rel.conf"
    sed -e 's/^name: files_abs/name: files_rel/' \
        -e "s|path: .*|path: rel.conf|" -e '/gather_initial_state/d' \
        "$STORE/files_abs/machine.yaml" >"$m/machine.yaml"

    # selfloop: a transition whose destination is the current state (poked -> poked)
    m="$STORE/selfloop"
    mkdir -p "$m"
    cp "$STORE/gov/stamp.sh" "$m/stamp.sh"
    cat >"$m/machine.yaml" <<EOF
name: selfloop
version: 1.0.0
initial_state: idle
transitions:
  - name: poke
    from: [idle, poked]
    destination: poked
watchers:
  - name: onpoke
    type: exec
    state_match: [poked]
    properties:
      command: $m/stamp.sh onpoke
EOF

    # reload: a long-running exec; what happens to it when machine.yaml changes?
    m="$STORE/reload"
    mkdir -p "$m"
    cat >"$m/long.sh" <<'EOF'
#!/bin/sh
echo $$ >"$(dirname "$0")/long.pid"
exec sleep 300
EOF
    cat >"$m/machine.yaml" <<EOF
name: reload
version: 1.0.0
initial_state: idle
transitions:
  - name: never
    from: [idle]
    destination: never
watchers:
  - name: long
    type: exec
    state_match: [idle]
    interval: 1s
    properties:
      command: $m/long.sh
      timeout: 600s
EOF

    chmod +x "$STORE"/*/*.sh
}

# ---------------------------------------------------------------- checks
data_has() { # data_has KEY VALUE: dump.out's WATCHER_DATA has KEY == VALUE
    python3 - "$STORE/smoke/dump.out" "$1" "$2" <<'EOF'
import json, sys
text = open(sys.argv[1]).read().split("--- data\n", 1)[1]
data = json.loads(text)
sys.exit(0 if data.get(sys.argv[2]) == sys.argv[3] else 1)
EOF
}

env_is_minimal() {
    local got want
    got="$(sed -n '/^--- environ$/,/^--- data$/p' "$STORE/smoke/dump.out" | sed '1d;$d' | cut -d= -f1 | sort | tr '\n' ' ')"
    want="HOIST_EXTRA MACHINE_NAME MACHINE_WATCHER_NAME PATH WATCHER_DATA WATCHER_FACTS "
    [[ "$got" == "$want" ]]
}

path_appends_machine_dir() { grep -q "^PATH=.*:$STORE/smoke\$" "$STORE/smoke/dump.out"; }
cwd_is_machine_dir() { grep -qx "cwd: $STORE/smoke" "$STORE/smoke/dump.out"; }
argv_is() { grep -qx "argv: $1" "$STORE/smoke/dump.out"; }

# no two runs of NAME overlap: every start comes after the previous end
runs_never_overlap() {
    python3 - "$1" <<'EOF'
import sys
open_run = None
for line in open(sys.argv[1]):
    kind, ts, pid = line.split()
    if kind == "start":
        if open_run is not None:
            sys.exit(1)
        open_run = pid
    else:
        if open_run != pid:
            sys.exit(1)
        open_run = None
EOF
}
pid_alive() { kill -0 "$1" 2>/dev/null; }
pid_dead() { ! kill -0 "$1" 2>/dev/null; }
seconds_at_least() { python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' "$1" "$2"; }
count_runs() { grep -c '^start' "$1" 2>/dev/null || echo 0; }
first_start() { awk '$1=="start"{print $2; exit}' "$1"; }

# ---------------------------------------------------------------- main
main() {
    local bin t0 t1 out

    say "build / locate choria $HOIST_CHORIA_VERSION"
    bin="$(hoist_choria_bin)"
    echo "binary: $bin"
    "$bin" buildinfo | grep -E 'Version:|TLS:|(Exec|Kv|File|Gossip) Watcher' | sed 's/^ */  /'
    check "binary has exec, kv, file and gossip watchers" \
        bash -c "[[ \$('$bin' buildinfo | grep -cE '(Exec|Kv|File|Gossip) Watcher') == 4 ]]"

    mkdir -p "$STORE" "$(dirname "$CLIENT")"
    say "nats-server (harness/lib.sh)"
    hoist_start_nats
    export HOIST_CHORIA_CLIENT_CONFIG="$CLIENT"
    hoist_write_choria_client_config "$CLIENT"

    say "KV buckets and governor (before the server starts)"
    cli kv add HOIST >/dev/null
    cli kv add HOIST_weather >/dev/null
    cli kv put HOIST_weather TAG w1
    cli governor add hoist_smoke 1 1m
    check "governor stream GOVERNOR_hoist_smoke exists" \
        bash -c "'$bin' governor view hoist_smoke --config '$CLIENT' >/dev/null 2>&1"

    say "machine validate"
    write_machines
    out="$("$bin" machine validate "$STORE/smoke" 2>&1)" || true
    echo "+ choria machine validate STORE/smoke -> $out"
    check "choria machine validate accepts the smoke machine" "$bin" machine validate "$STORE/smoke"
    mkdir -p "$WORK/invalid"
    sed 's/interval: 5s/interval: 1m30s/' "$STORE/smoke/machine.yaml" >"$WORK/invalid/machine.yaml"
    out="$("$bin" machine validate "$WORK/invalid" 2>&1)" && rc=0 || rc=$?
    echo "+ choria machine validate INVALID (interval 1m30s) -> rc=$rc: $(head -n 3 <<<"$out" | tr '\n' ' ')"
    check "choria machine validate rejects interval 1m30s (exit != 0)" test "$rc" -ne 0

    say "choria server $IDENTITY (loglevel debug) with store $STORE"
    local launched
    launched="$(now)"
    HOIST_CHORIA_LOGLEVEL=debug hoist_start_choria_server "$IDENTITY" "$STORE"
    wait_state smoke idle 20
    check "smoke machine is running (state idle)" state_is smoke idle

    say "a. kv put -> kv watcher -> exec watcher"
    sleep 1
    t0="$(now)"
    cli kv put HOIST container/weather/tag v2
    hoist_wait_until 15 "dump.out" has_file "$STORE/smoke/dump.out" || true
    t1="$(now)"
    echo "kv put -> exec ran: $(elapsed "$t0" "$t1") s (kv interval 5s)"
    check "kv put fired the kv watcher and the exec watcher ran" has_file "$STORE/smoke/dump.out"
    echo "--- dump.out"
    sed 's/^/  /' "$STORE/smoke/dump.out" || true
    check "WATCHER_DATA: key container/weather/tag (bucket_prefix false) = v2" data_has container/weather/tag v2
    check "WATCHER_DATA: bucket HOIST_weather key TAG, bucket_prefix false -> TAG = w1" data_has TAG w1
    check "WATCHER_DATA: same with default bucket_prefix -> HOIST_weather_TAG = w1" data_has HOIST_weather_TAG w1
    check "exec env is exactly MACHINE_NAME MACHINE_WATCHER_NAME PATH WATCHER_DATA WATCHER_FACTS + environment" env_is_minimal
    check "exec PATH = server PATH + :machine dir" path_appends_machine_dir
    check "exec cwd is the machine dir" cwd_is_machine_dir
    check 'command template {{ lookup "data.container/weather/tag" "none" }} -> v2' argv_is v2
    wait_state smoke ran 10 || true
    check "exec success_transition done -> state ran" state_is smoke ran
    check "exec output is in the server log at debug level" \
        grep -q '"level":"debug","msg":"smoke#dump: Output from .*hoist-smoke stdout line\\nhoist-smoke stderr line' "$SLOG"

    say "b. choria req choria_util machine_state / machine_transition"
    echo "+ choria req choria_util machine_state name=smoke -I $IDENTITY --json --config client.cfg"
    hoist_choria req choria_util machine_state name=smoke -I "$IDENTITY" --json |
        python3 -c 'import json,sys; d=json.load(sys.stdin); r=d["replies"][0]; print("  sender=%s statuscode=%s state=%s available_transitions=%s" % (r["sender"], r["statuscode"], r["data"]["state"], r["data"]["available_transitions"]))'
    check "machine_state via hoist_machine_state = ran" state_is smoke ran
    out="$(hoist_choria req choria_util machine_state name=smoke --json)"
    check "machine_state without -I (broadcast discovery) also answers" \
        python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d["replies"][0]["data"]["state"]=="ran" else 1)' "$out"
    echo "+ choria req choria_util machine_transition name=smoke transition=reset -I $IDENTITY --json --config client.cfg"
    out="$(hoist_choria req choria_util machine_transition name=smoke transition=reset -I "$IDENTITY" --json)"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1])["replies"][0]; print("  statuscode=%s data=%s" % (r["statuscode"], r["data"]))' "$out"
    check "machine_transition reset -> state idle" state_is smoke idle
    out="$(hoist_choria req choria_util machine_transition name=smoke transition=done -I "$IDENTITY" --json)" && rc=0 || rc=$?
    python3 -c 'import json,sys; r=json.loads(sys.argv[1])["replies"][0]; print("  invalid transition: rc='"$rc"' statuscode=%s statusmsg=%s" % (r["statuscode"], r["statusmsg"]))' "$out"
    check "an invalid transition gives statuscode 1 (choria req still exits 0)" \
        python3 -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1])["replies"][0]["statuscode"]==1 else 1)' "$out"

    say "d. governor + exec watcher scheduling (gov machine)"
    wait_state gov finished 30 || true
    check "governed exec ran and fired success_transition (state finished)" state_is gov finished
    check "server log: obtained a slot in the hoist_smoke governor" log_has "Obtaining a slot in the hoist_smoke Governor"
    local kick_first work_first
    kick_first="$(first_start "$STORE/gov/kick.runs")"
    work_first="$(first_start "$STORE/gov/work.runs")"
    echo "server launched -> first run of 'kick' (interval 3s, initial state): $(elapsed "$launched" "$kick_first") s"
    check "an exec watcher with interval first runs one interval after machine start, not at once" \
        seconds_at_least "$(elapsed "$launched" "$kick_first")" 2.0
    echo "kick run -> 'work' (no interval) ran on entering 'running': $(elapsed "$kick_first" "$work_first") s"
    check "an exec watcher without interval does not run at machine start (never.runs absent)" \
        test ! -e "$STORE/gov/never.runs"
    check "an exec watcher without interval runs on entering a state_match state" \
        test "$(count_runs "$STORE/gov/work.runs")" -eq 1

    say "exec watcher never overlaps itself (overlap machine: 2 s command, 1 s interval)"
    hoist_machine_transition "$IDENTITY" overlap flip || true
    sleep 0.5
    hoist_machine_transition "$IDENTITY" overlap flop || true
    sleep 0.5
    hoist_machine_transition "$IDENTITY" overlap flip || true
    sleep 5
    echo "runs of 'slow' so far: $(count_runs "$STORE/overlap/slow.runs")"
    sed 's/^/  /' "$STORE/overlap/slow.runs"
    check "runs of one exec watcher never overlap (state changes + interval)" runs_never_overlap "$STORE/overlap/slow.runs"

    say "failing exec: what reaches the server log"
    wait_state failing broken 15 || true
    check "failing exec fired fail_transition (state broken)" state_is failing broken
    grep -F 'failing#fails' "$SLOG" | grep -vF '"level":"debug"' | sed 's/^/  /' | head -n 8
    check "server log (error level) says: Exec watcher ... failed: exit status 3" \
        grep -q '"level":"error","msg":"failing#fails: Exec watcher .*fail.sh failed: exit status 3"' "$SLOG"
    check "the failing command's output is NOT in the server log, even at debug" \
        bash -c "! grep -q 'hoist-smoke error line' '$SLOG'"

    say "file watchers"
    check "absolute path, gather_initial_state: no transition on first observation (still watching)" \
        state_is files_abs watching
    sleep 1
    touch "$OUTSIDE/abs.conf"
    wait_state files_abs changed 10 || true
    check "absolute path is used as is (not joined to the machine dir): touch -> changed" state_is files_abs changed
    check "relative path without gather_initial_state: first observation -> changed" state_is files_rel changed

    say "machine store: load and unload latency"
    mkdir -p "$STORE/late-temp"
    sed -e 's/^name: files_rel/name: late/' "$STORE/files_rel/machine.yaml" >"$STORE/late-temp/machine.yaml"
    echo l >"$STORE/late-temp/rel.conf"
    t0="$(now)"
    mv "$STORE/late-temp" "$STORE/late"
    hoist_wait_until 25 "machine late loaded" machine_known late || true
    t1="$(now)"
    echo "new machine folder -> machine answering machine_state: $(elapsed "$t0" "$t1") s"
    check "a machine dropped into the store is loaded (within 25 s)" machine_known late
    t0="$(now)"
    rm -rf "$STORE/late"
    hoist_wait_until 25 "machine late unloaded" machine_unknown late || true
    t1="$(now)"
    echo "machine folder removed -> machine gone: $(elapsed "$t0" "$t1") s"
    check "a removed machine folder stops its machine (within 25 s)" machine_unknown late

    say "self transition (poked -> poked) does not re-run the state's exec watchers"
    hoist_machine_transition "$IDENTITY" selfloop poke
    hoist_wait_until 10 "onpoke ran" has_file "$STORE/selfloop/onpoke.runs" || true
    out="$(hoist_choria req choria_util machine_transition name=selfloop transition=poke -I "$IDENTITY" --json)"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1])["replies"][0]; print("  second poke (poked -> poked): statuscode=%s data=%s" % (r["statuscode"], r["data"]))' "$out"
    sleep 3
    echo "runs of onpoke after two pokes: $(count_runs "$STORE/selfloop/onpoke.runs")"
    check "poke idle -> poked ran the exec once; poke poked -> poked did not run it again" \
        test "$(count_runs "$STORE/selfloop/onpoke.runs")" -eq 1

    say "machine.yaml change while an exec command runs"
    local long_pid
    hoist_wait_until 10 "long.sh started" has_file "$STORE/reload/long.pid" || true
    long_pid="$(cat "$STORE/reload/long.pid" 2>/dev/null || echo 0)"
    check "long-running exec command is running (pid $long_pid)" pid_alive "$long_pid"
    t0="$(now)"
    sed -i 's/^version: 1.0.0/version: 1.0.1/' "$STORE/reload/machine.yaml"
    hoist_wait_until 25 "long.sh killed by the reload" pid_dead "$long_pid" || true
    t1="$(now)"
    echo "machine.yaml edited -> running command killed: $(elapsed "$t0" "$t1") s"
    check "changing machine.yaml kills the machine's running exec command" pid_dead "$long_pid"
    grep -E 'reload(#|: | version)|does not match current manifest' "$SLOG" | grep -vF '"level":"debug"' |
        sed -E 's/.*"msg":"([^"]*)".*"time":"([^"]*)".*/  \2 \1/' | tail -n 8

    say "server log noise at info level and above"
    echo "warning lines: $(grep -c '"level":"warning"' "$SLOG" || true), error lines: $(grep -c '"level":"error"' "$SLOG" || true)"
    grep -E '"level":"(warning|error)"' "$SLOG" | grep -vF 'failing#fails' |
        sed -E 's/.*"msg":"([^"]*)".*/  \1/' | sort | uniq -c | head -n 20

    say "result"
    echo "$PASSED passed, $FAILED failed"
    ((FAILED == 0))
}

main "$@"
