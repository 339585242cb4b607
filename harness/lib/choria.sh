# shellcheck shell=bash
# harness/lib/choria.sh: a real (non-TLS, loopback) Choria server for Hoist's tests and demo,
# built on harness/lib/common.sh (which it sources): NATS comes from common.sh's hoist_start_nats, and the
# server is started through hoist_spawn, so hoist_stop_all stops it with everything else.
#
# Source it after setting up a run folder:
#   source harness/lib/choria.sh; hoist_setup_run NAME; hoist_start_nats; hoist_start_choria_server ID STORE
# It only defines functions (safe under `set -euo pipefail`).
#
# Building
#   hoist_find_go
#       Sets HOIST_GO to a Go toolchain ($HOIST_GO, else `go` on PATH, else /usr/local/go/bin/go)
#       and puts its folder first on PATH (go generate runs `go` by name); returns 1 with a clear
#       message when there is none.
#   hoist_build_choria
#       Prints the path of a go-choria 0.30.2 binary built from its Go module with every
#       plugin (agents, watchers, data) compiled in and TLS/protocol security switched off.
#       Cached at ${HOIST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hoist}/choria-0.30.2/choria;
#       a present binary is reused (no network). Progress goes to stderr, the path to stdout.
#       Needs only Go (see hoist_find_go) and the Go module proxy. Cold: about 3 min on 2 cores.
#   hoist_choria_bin
#       Prints $HOIST_CHORIA_BIN if set, else the cached binary (building it if missing).
#
# The server (needs $HOIST_RUN from hoist_setup_run and $HOIST_NATS_PORT from hoist_start_nats)
#   hoist_write_choria_client_config FILE
#   hoist_write_choria_server_config FILE IDENTITY STORE_DIR LOGFILE
#   hoist_start_choria_server IDENTITY STORE_DIR
#       Writes $HOIST_RUN/choria/IDENTITY.cfg and the client config $HOIST_RUN/choria/client.cfg,
#       runs `choria server run` through hoist_spawn (pid in $HOIST_RUN/pids as choria-IDENTITY,
#       stdout in $HOIST_RUN/choria-IDENTITY.log, server log $HOIST_RUN/choria/IDENTITY.log) and
#       returns once the server answers `choria ping -I IDENTITY` (bounded; 1 when it does not).
#       Exports HOIST_CHORIA_CLIENT_CONFIG (the client config). STORE_DIR is created.
#       With HOIST_CHORIA_TEXTFILE_DIR set, its nagios watchers write their Prometheus series
#       into that folder (choria_machine_nagios_watcher_status.prom).
#       $HOIST_CHORIA_MIDDLEWARE, when set, is the brokers both configs name (a NATS cluster:
#       nats://127.0.0.1:P1,nats://127.0.0.1:P2,...) instead of nats://127.0.0.1:$HOIST_NATS_PORT.
#   hoist_start_node_exporter DIR PORT
#       Debian's prometheus-node-exporter serving DIR's *.prom files on 127.0.0.1:PORT/metrics.
#   hoist_stop_choria_servers
#       Stops, by pid, the Choria servers of this run (before containers are removed, so that
#       no machine starts them again); hoist_stop_all would stop them too, later.
#
# Helpers
#   hoist_choria ARGS...                 -> `choria ARGS... --config $HOIST_CHORIA_CLIENT_CONFIG`
#   hoist_machine_state IDENTITY MACHINE -> prints the machine's current state (or nothing and
#                                           returns 1 if the server answered that it does not run
#                                           that machine, 2 if it did not answer)
#   hoist_machine_transition IDENTITY MACHINE TRANSITION
#                                        -> 0 accepted, 1 refused, 2 no reply in time (see below)
#
# Hoist on that server: `puppet apply` of `include hoist` into the server's machine store, with
# harness/lib/puppet.sh (sourced here): hoist_puppet_setup, hoist_puppet_apply.
#
# Settings (environment)
#   HOIST_CACHE               cache root (see above)
#   HOIST_CHORIA_BIN          use this choria binary instead of the cached build
#   HOIST_CHORIA_LOGLEVEL     server log level (default info; exec output is only logged at debug)
#   HOIST_CHORIA_COLLECTIVE   collective name (default mcollective)
#   HOIST_WAIT_TIMEOUT        bound, in seconds, for the server's readiness (default 30)

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=harness/lib/puppet.sh
source "$(dirname "${BASH_SOURCE[0]}")/puppet.sh"

HOIST_CHORIA_VERSION="0.30.2"
HOIST_CHORIA_MODULE="github.com/choria-io/go-choria"

hoist_choria_cache_dir() {
    printf '%s/choria-%s\n' "${HOIST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/hoist}" "$HOIST_CHORIA_VERSION"
}

hoist_find_go() {
    local go=""
    if [[ -n "${HOIST_GO:-}" ]]; then
        go="$HOIST_GO"
    elif command -v go >/dev/null 2>&1; then
        go="$(command -v go)"
    elif [[ -x /usr/local/go/bin/go ]]; then
        go=/usr/local/go/bin/go
    fi
    if [[ -z "$go" || ! -x "$go" ]]; then
        hoist_log "ERROR: no Go toolchain: building Choria $HOIST_CHORIA_VERSION needs Go (go on PATH," \
            "or /usr/local/go/bin/go, or HOIST_GO=/path/to/go); install it from the Go downloads into /usr/local/go"
        return 1
    fi
    HOIST_GO="$go"
    export HOIST_GO
    case ":$PATH:" in *":$(dirname "$go"):"*) ;; *) PATH="$(dirname "$go"):$PATH" ;; esac
    export PATH
    # Go keeps its module and build caches under HOME; CI may run without one.
    [[ -n "${HOME:-}" ]] || export HOME=/root
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
        hoist_log "ERROR: could not strip the application builder from cmd/cmd.go"
        return 1
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

    hoist_find_go || return 1
    go="$HOIST_GO"
    mkdir -p "$cache"
    work="$(mktemp -d "$cache/build.XXXXXX")"
    started=$SECONDS
    hoist_log "building choria $HOIST_CHORIA_VERSION in $work (cold builds take minutes)"

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
        hoist_log "ERROR: building choria failed"
        return 1
    fi
    rm -rf "$work"
    hoist_log "built $bin in $((SECONDS - started))s"
    printf '%s\n' "$bin"
}

hoist_choria_bin() {
    if [[ -n "${HOIST_CHORIA_BIN:-}" ]]; then
        printf '%s\n' "$HOIST_CHORIA_BIN"
    else
        hoist_build_choria
    fi
}


# The client's identity is set: without one, go-choria (config/config.go) takes os.Hostname when it
# has two dots, else the DNS name, else runs `facter fqdn`, which on a host named without dots is
# 0.3 s of CPU and 0.7 s of wall time for every choria command the harness runs (400 in a full run).
hoist_write_choria_client_config() {
    local file="$1" collective="${HOIST_CHORIA_COLLECTIVE:-mcollective}"
    cat >"$file" <<CFG
identity = hoist-harness-client
collectives = $collective
main_collective = $collective
plugin.choria.use_srv = false
plugin.choria.middleware_hosts = ${HOIST_CHORIA_MIDDLEWARE:-nats://127.0.0.1:$HOIST_NATS_PORT}
plugin.security.provider = file
loglevel = error
CFG
}

hoist_write_choria_server_config() {
    local file="$1" identity="$2" store="$3" logfile="$4"
    local collective="${HOIST_CHORIA_COLLECTIVE:-mcollective}"
    cat >"$file" <<CFG
identity = $identity
collectives = $collective
main_collective = $collective
plugin.choria.use_srv = false
plugin.choria.middleware_hosts = ${HOIST_CHORIA_MIDDLEWARE:-nats://127.0.0.1:$HOIST_NATS_PORT}
plugin.security.provider = file
plugin.choria.machine.store = $store
rpcauthorization = false
logfile = $logfile
loglevel = ${HOIST_CHORIA_LOGLEVEL:-info}
CFG
  # Metrics, when asked for: the folder where the server's nagios watchers write their Prometheus
  # series for node_exporter's textfile collector. (A go-choria 0.30.2 server serves no HTTP port:
  # plugin.choria.stats_port is read by `choria broker run` only.)
  if [[ -n "${HOIST_CHORIA_TEXTFILE_DIR:-}" ]]; then
    printf 'plugin.choria.prometheus_textfile_directory = %s\n' "$HOIST_CHORIA_TEXTFILE_DIR" >>"$file"
  fi
}

# hoist_start_node_exporter DIR PORT: Debian's prometheus-node-exporter on 127.0.0.1:PORT with
# only its textfile collector, reading DIR (where Choria's nagios watchers write their series),
# through hoist_spawn; returns once it serves /metrics (bounded by HOIST_WAIT_TIMEOUT, 30 s).
hoist_start_node_exporter() {
  local dir=$1 port=$2
  hoist_spawn node-exporter /usr/bin/prometheus-node-exporter --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory="$dir" --web.listen-address="127.0.0.1:$port" >/dev/null
  hoist_wait_until "${HOIST_WAIT_TIMEOUT:-30}" "node_exporter on 127.0.0.1:$port" \
    curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"
}

# hoist_choria ARGS...: the choria client with this run's client config.
hoist_choria() {
    local bin
    bin="$(hoist_choria_bin)" || return 1
    "$bin" "$@" --config "$HOIST_CHORIA_CLIENT_CONFIG"
}

hoist__choria_answers_ping() {
    local identity="$1" out
    out="$(hoist_choria ping -I "$identity" --expect 1 --timeout 2 --names 2>/dev/null)" || return 1
    grep -qxF "$identity" <<<"$out"
}

hoist_start_choria_server() {
    local identity="$1" store="$2" bin dir pid deadline
    [[ -n "${HOIST_RUN:-}" && -n "${HOIST_NATS_PORT:-}" ]] ||
        { hoist_log "ERROR: hoist_start_choria_server needs HOIST_RUN and HOIST_NATS_PORT (hoist_setup_run, hoist_start_nats)"; return 1; }
    bin="$(hoist_choria_bin)" || return 1
    dir="$HOIST_RUN/choria"
    mkdir -p "$dir" "$store"
    store="$(cd "$store" && pwd)"
    HOIST_CHORIA_CLIENT_CONFIG="$dir/client.cfg"
    export HOIST_CHORIA_CLIENT_CONFIG
    hoist_write_choria_server_config "$dir/$identity.cfg" "$identity" "$store" "$dir/$identity.log"
    hoist_write_choria_client_config "$HOIST_CHORIA_CLIENT_CONFIG"
    pid="$(hoist_spawn "choria-$identity" "$bin" server run --config "$dir/$identity.cfg")"
    # Eventually: the server answers a ping (1-2 s here; 30 s by default allows for a loaded
    # machine), unless it exits first, which ends the wait at once with its log.
    deadline=$((SECONDS + ${HOIST_WAIT_TIMEOUT:-30}))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            hoist_log "ERROR: choria server $identity exited during start-up; last lines of its logs:"
            tail -n 20 "$HOIST_RUN/choria-$identity.log" "$dir/$identity.log" >&2 2>/dev/null || true
            return 1
        fi
        if hoist__choria_answers_ping "$identity"; then
            hoist_log "choria server $identity is up (pid $pid, machine store $store)"
            return 0
        fi
        sleep 0.25
    done
    hoist_log "ERROR: timed out waiting for choria server $identity; last lines of its log:"
    tail -n 20 "$dir/$identity.log" >&2 2>/dev/null || true
    return 1
}

hoist_stop_choria_servers() {
    [[ -f "${HOIST_RUN:-}/pids" ]] || return 0
    local pid name
    while read -r pid name; do
        case "$name" in choria-*) hoist_stop_pid "$pid" "$name" ;; esac
    done <"$HOIST_RUN/pids"
}

# Prints the state of MACHINE on IDENTITY; returns 1 when the server answered that it does not
# run it, 2 when the server did not answer (a hung server is not "the machine is gone").
# (`choria req` exits 0 even when the action fails: the reply's statuscode says.) A request that
# got no reply at all (a busy server misses choria_util's 2 s) is asked once more.
hoist_machine_state() {
    local identity="$1" machine="$2" out rc attempt
    for attempt in 1 2; do
        out="$(hoist_choria req choria_util machine_state "name=$machine" -I "$identity" --json 2>/dev/null)" || return 2
        python3 "$HOIST_ROOT/harness/tools/choria-reply.py" state <<<"$out" && rc=0 || rc=$?
        [[ "$rc" -eq 2 ]] || return "$rc"
    done
    return 2
}

# Returns 0 when the server accepted the transition, 1 when it refused it (its statusmsg on
# stderr), 2 when no reply came in time. choria_util's DDL gives the action 2 s, and a machine
# that transitioned often within the last minute sleeps up to 5 s before each transition (Choria's
# rate limit, holding the machine's lock), so "no reply" can still mean the transition happens.
hoist_machine_transition() {
    local identity="$1" machine="$2" transition="$3" out
    out="$(hoist_choria req choria_util machine_transition "name=$machine" \
        "transition=$transition" -I "$identity" --json 2>/dev/null)" || return 1
    python3 "$HOIST_ROOT/harness/tools/choria-reply.py" transition "$transition" <<<"$out"
}
