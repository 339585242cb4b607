# shellcheck shell=bash
# harness/choria.sh: run a real (non-TLS, loopback) Choria broker + server for tests.
#
# Source it:  . harness/choria.sh      (safe under `set -euo pipefail`; defines functions only)
#
# Building
#   hoist_build_choria
#       Prints the path of a go-choria 0.30.2 binary built from its Go module with every
#       plugin (agents, watchers, data) compiled in and TLS/protocol security switched off.
#       Cached at ${HOIST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hoist}/choria-0.30.2/choria;
#       a present binary is reused (no network). Progress goes to stderr, the path to stdout.
#       Needs only `go` (>= 1.25; $HOIST_GO, else `go` on PATH, else /usr/local/go/bin/go)
#       and the Go module proxy. Cold: about 3-4 min on 2 cores.
#   hoist_choria_bin
#       Prints $HOIST_CHORIA_BIN if set, else the cached binary (building it if missing).
#
# Processes (every one is started in the background, with a pid file; stop it by pid)
#   hoist_free_port                      -> a free TCP port on 127.0.0.1 (stdout)
#   hoist_start_nats DIR PORT            -> nats-server -a 127.0.0.1 -p PORT -js -sd DIR/nats-js
#                                           pid DIR/nats.pid, log DIR/nats.log; returns once it
#                                           accepts connections (bounded wait)
#   hoist_write_choria_server_config FILE NATS_PORT IDENTITY STORE_DIR LOGFILE
#   hoist_write_choria_client_config FILE NATS_PORT
#   hoist_start_choria_server DIR NATS_PORT IDENTITY STORE_DIR
#                                        -> writes DIR/choria-IDENTITY.cfg and the client
#                                           config DIR/client.cfg, runs
#                                           `choria server run --config DIR/choria-IDENTITY.cfg`
#                                           pid DIR/choria-IDENTITY.pid, log DIR/choria-IDENTITY.log
#                                           (stdout/stderr in DIR/choria-IDENTITY.out); returns once
#                                           the server answers `choria ping -I IDENTITY`.
#                                           STORE_DIR is created; it must be writable by the server.
#   hoist_stop_pid PIDFILE [TIMEOUT_S]   -> SIGTERM, wait up to TIMEOUT_S (default 20), SIGKILL;
#                                           removes the pid file; no-op when the file is absent.
#   hoist_stop_all DIR                   -> stops every DIR/choria-*.pid, then DIR/nats.pid.
#                                           Use it in an EXIT trap.
#
# Helpers
#   hoist_wait_until TIMEOUT_S DESCRIPTION CMD [ARGS...]
#                                        -> runs CMD every 0.25 s until it succeeds; returns 1
#                                           (with a message on stderr) after TIMEOUT_S seconds.
#   hoist_choria_client CLIENT_CFG ARGS... -> `choria ARGS... --config CLIENT_CFG`
#   hoist_machine_state CLIENT_CFG IDENTITY MACHINE
#                                        -> prints the machine's current state (or nothing and
#                                           returns 1 if the server does not run that machine)
#   hoist_machine_transition CLIENT_CFG IDENTITY MACHINE TRANSITION
#
# Settings (environment)
#   HOIST_CACHE               cache root (see above)
#   HOIST_CHORIA_BIN          use this choria binary instead of the cached build
#   HOIST_CHORIA_LOGLEVEL     server log level (default info; exec output is only logged at debug)
#   HOIST_CHORIA_COLLECTIVE   collective name (default mcollective)
#   HOIST_WAIT_TIMEOUT        default bound, in seconds, for readiness waits (default 30)

HOIST_CHORIA_VERSION="0.30.2"
HOIST_CHORIA_MODULE="github.com/choria-io/go-choria"

hoist__log() {
    printf '[hoist] %s\n' "$*" >&2
}

hoist__die() {
    hoist__log "ERROR: $*"
    return 1
}

hoist_choria_cache_dir() {
    printf '%s/choria-%s\n' "${HOIST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hoist}" "$HOIST_CHORIA_VERSION"
}

hoist__go() {
    if [[ -n "${HOIST_GO:-}" ]]; then
        printf '%s\n' "$HOIST_GO"
    elif command -v go >/dev/null 2>&1; then
        command -v go
    elif [[ -x /usr/local/go/bin/go ]]; then
        printf '%s\n' /usr/local/go/bin/go
    else
        hoist__die "no Go toolchain found (set HOIST_GO)"
    fi
}

# Removes go-choria's "application builder" mode from the copied module source.
# Why: go-choria 0.30.2 requires github.com/choria-io/appbuilder v0.17.1, whose module zip the
# reachable Go module proxy does not serve ("403 This module version is not available"), and no
# other appbuilder release served there compiles against 0.30.2's other dependencies. The
# builder is only used by the `choria tool builder` command and when the binary runs under a
# name without "choria" in it; servers, agents, watchers, KV and governors do not touch it.
hoist__strip_appbuilder() {
    local src="$1"
    rm -f "$src/cmd/tool_builder.go"
    sed -i \
        -e '/"github.com\/choria-io\/appbuilder\//d' \
        -e '/"github.com\/choria-io\/go-choria\/providers\/appbuilder\//d' \
        -e '/"github.com\/adrg\/xdg"/d' \
        -e '/^func builderOptions() /,/^func systemConfigureIfRoot/{/^func systemConfigureIfRoot/!d}' \
        -e 's/^\t\trunBuilder()$/\t\tfmt.Fprintln(os.Stderr, "this choria build has no application builder"); os.Exit(1)/' \
        "$src/cmd/cmd.go"
    if grep -q 'appbuilder' "$src/cmd/cmd.go" || grep -q 'runBuilder()' "$src/cmd/cmd.go"; then
        hoist__die "could not strip the application builder from cmd/cmd.go"
    fi
}

hoist_build_choria() {
    local cache bin go work dir started info
    cache="$(hoist_choria_cache_dir)"
    bin="$cache/choria"
    if [[ -x "$bin" ]]; then
        printf '%s\n' "$bin"
        return 0
    fi

    go="$(hoist__go)" || return 1
    mkdir -p "$cache"
    work="$(mktemp -d "$cache/build.XXXXXX")"
    started=$SECONDS
    hoist__log "building choria $HOIST_CHORIA_VERSION in $work (cold builds take minutes)"

    # Everything runs in a subshell so that cd/exports never leak to the caller.
    if ! (
        set -euo pipefail
        export GOFLAGS="-mod=mod -buildvcs=false"
        export GOTOOLCHAIN="${GOTOOLCHAIN:-auto}"
        cd "$work"

        # 1. the module source, via the module proxy, and a writable copy of it
        dir="$("$go" mod download -json "$HOIST_CHORIA_MODULE@v$HOIST_CHORIA_VERSION" |
            sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')"
        [[ -n "$dir" && -f "$dir/go.mod" ]] || { echo "go mod download gave no Dir" >&2; exit 1; }
        cp -R "$dir" "$work/src"
        chmod -R u+w "$work/src"
        cd "$work/src"

        # 2. plugin registrations (plugin_*.go in package main, from packager/plugins.yaml).
        #    Only the `plugin` generator is needed; the others regenerate docs/clients/mocks.
        "$go" generate -run plugin >"$work/generate.log" 2>&1 ||
            { cat "$work/generate.log" >&2; exit 1; }
        ls plugin_*_exec_watcher.go plugin_*_kv_watcher.go >/dev/null

        hoist__strip_appbuilder "$work/src"

        # 3. the binary: no TLS, no protocol security (loopback test build)
        "$go" build -trimpath -o "$work/choria" -ldflags "\
-X $HOIST_CHORIA_MODULE/build.TLS=false \
-X $HOIST_CHORIA_MODULE/protocol.Secure=false \
-X $HOIST_CHORIA_MODULE/build.Version=$HOIST_CHORIA_VERSION" .
        info="$("$work/choria" buildinfo)"
        grep -q 'Exec Watcher' <<<"$info" ||
            { echo "the built choria has no exec watcher: plugin generation failed" >&2; exit 1; }
        mv -f "$work/choria" "$bin"
    ); then
        rm -rf "$work"
        hoist__die "building choria failed"
        return 1
    fi
    rm -rf "$work"
    hoist__log "built $bin in $((SECONDS - started))s"
    printf '%s\n' "$bin"
}

hoist_choria_bin() {
    if [[ -n "${HOIST_CHORIA_BIN:-}" ]]; then
        printf '%s\n' "$HOIST_CHORIA_BIN"
    else
        hoist_build_choria
    fi
}

hoist_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

hoist_wait_until() {
    local timeout="$1" what="$2"
    shift 2
    local deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.25
    done
    hoist__log "timed out after ${timeout}s waiting for: $what"
    return 1
}

hoist__pid_alive() {
    local pid
    [[ -f "$1" ]] || return 1
    pid="$(cat "$1")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

hoist__port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ready check: the process is alive AND the probe passes; a dead process fails fast
hoist__wait_ready() {
    local timeout="$1" pidfile="$2" log="$3" what="$4"
    shift 4
    local deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        if ! hoist__pid_alive "$pidfile"; then
            hoist__log "$what exited during start-up; last lines of $log:"
            tail -n 20 "$log" >&2 || true
            return 1
        fi
        if "$@" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.25
    done
    hoist__log "timed out after ${timeout}s waiting for $what; last lines of $log:"
    tail -n 20 "$log" >&2 || true
    return 1
}

hoist_stop_pid() {
    local pidfile="$1" timeout="${2:-20}" pid deadline
    [[ -f "$pidfile" ]] || return 0
    pid="$(cat "$pidfile")"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        deadline=$((SECONDS + timeout))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null; then
            hoist__log "pid $pid ($pidfile) ignored SIGTERM for ${timeout}s, sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
        fi
    fi
    rm -f "$pidfile"
}

hoist_stop_all() {
    local dir="$1" f
    for f in "$dir"/choria-*.pid; do
        [[ -e "$f" ]] && hoist_stop_pid "$f"
    done
    hoist_stop_pid "$dir/nats.pid"
}

hoist_start_nats() {
    local dir="$1" port="$2"
    mkdir -p "$dir/nats-js"
    if hoist__pid_alive "$dir/nats.pid"; then
        hoist__die "a nats-server is already running from $dir/nats.pid"
        return 1
    fi
    command -v nats-server >/dev/null 2>&1 || { hoist__die "nats-server is not installed"; return 1; }
    nats-server -a 127.0.0.1 -p "$port" -js -sd "$dir/nats-js" >"$dir/nats.log" 2>&1 </dev/null &
    echo $! >"$dir/nats.pid"
    hoist__wait_ready "${HOIST_WAIT_TIMEOUT:-30}" "$dir/nats.pid" "$dir/nats.log" \
        "nats-server on 127.0.0.1:$port" hoist__port_open "$port"
}

hoist_write_choria_client_config() {
    local file="$1" port="$2" collective="${HOIST_CHORIA_COLLECTIVE:-mcollective}"
    cat >"$file" <<EOF
collectives = $collective
main_collective = $collective
plugin.choria.use_srv = false
plugin.choria.middleware_hosts = nats://127.0.0.1:$port
plugin.security.provider = file
loglevel = error
EOF
}

hoist_write_choria_server_config() {
    local file="$1" port="$2" identity="$3" store="$4" logfile="$5"
    local collective="${HOIST_CHORIA_COLLECTIVE:-mcollective}"
    cat >"$file" <<EOF
identity = $identity
collectives = $collective
main_collective = $collective
plugin.choria.use_srv = false
plugin.choria.middleware_hosts = nats://127.0.0.1:$port
plugin.security.provider = file
plugin.choria.machine.store = $store
rpcauthorization = false
logfile = $logfile
loglevel = ${HOIST_CHORIA_LOGLEVEL:-info}
EOF
}

hoist_choria_client() {
    local cfg="$1" bin
    shift
    bin="$(hoist_choria_bin)" || return 1
    "$bin" "$@" --config "$cfg"
}

hoist__choria_answers_ping() {
    local cfg="$1" identity="$2" out
    out="$(hoist_choria_client "$cfg" ping -I "$identity" --expect 1 --timeout 2 --names 2>/dev/null)" || return 1
    grep -qxF "$identity" <<<"$out"
}

hoist_start_choria_server() {
    local dir="$1" port="$2" identity="$3" store="$4" bin base
    bin="$(hoist_choria_bin)" || return 1
    base="$dir/choria-$identity"
    mkdir -p "$dir" "$store"
    store="$(cd "$store" && pwd)"
    if hoist__pid_alive "$base.pid"; then
        hoist__die "a choria server is already running from $base.pid"
        return 1
    fi
    hoist_write_choria_server_config "$base.cfg" "$port" "$identity" "$store" "$base.log"
    hoist_write_choria_client_config "$dir/client.cfg" "$port"
    "$bin" server run --config "$base.cfg" >"$base.out" 2>&1 </dev/null &
    echo $! >"$base.pid"
    hoist__wait_ready "${HOIST_WAIT_TIMEOUT:-30}" "$base.pid" "$base.log" \
        "choria server $identity" hoist__choria_answers_ping "$dir/client.cfg" "$identity"
}

# Prints the state of MACHINE on IDENTITY; returns 1 when it is not running there.
hoist_machine_state() {
    local cfg="$1" identity="$2" machine="$3" out
    out="$(hoist_choria_client "$cfg" req choria_util machine_state "name=$machine" \
        -I "$identity" --json 2>/dev/null)" || return 1
    python3 -c '
import json, sys
doc = json.loads(sys.argv[1])
for r in doc.get("replies", []):
    if r.get("statuscode") == 0 and r.get("data", {}).get("state"):
        print(r["data"]["state"])
        sys.exit(0)
sys.exit(1)
' "$out"
}

hoist_machine_transition() {
    local cfg="$1" identity="$2" machine="$3" transition="$4" out
    out="$(hoist_choria_client "$cfg" req choria_util machine_transition "name=$machine" \
        "transition=$transition" -I "$identity" --json 2>/dev/null)" || return 1
    python3 -c '
import json, sys
doc = json.loads(sys.argv[1])
ok = [r for r in doc.get("replies", []) if r.get("statuscode") == 0 and r.get("data", {}).get("success")]
sys.exit(0 if ok else 1)
' "$out"
}
