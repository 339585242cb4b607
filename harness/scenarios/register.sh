#!/usr/bin/env bash
# harness/scenarios/register.sh: `register_ports` under a real Choria (issue 6):
#   Puppet (`include hoist` + Hiera register_ports) -> machine.yaml with gossip watchers -> choria
#   server -> the container reaches RUN for real (hoist-cli, Docker) -> the gossip watchers publish
#   the registrations into the Key-Value bucket CHORIA_SERVICES -> read back with `choria kv`.
#
#   bash harness/test.sh register      (or alone: bash harness/scenarios/register.sh)
#
# Services: when HOIST_DOCKER_HOST, HOIST_REGISTRY and HOIST_NATS_PORT are set (as harness/test.sh
# exports them, with hoist/web:v1 pushed), it uses those; otherwise it starts its own
# (harness/lib/common.sh). It always starts its own `choria server` (harness/lib/choria.sh) with its machine
# store in its run folder, stops it by pid at exit, then removes the container it made.
#
# What it checks, each with a bounded wait, one line per check:
#   * the apply writes two gossip watchers into machine.yaml (valid with the gossip definition of
#     harness/tools/validate-machine.py) and no register_ports into container.json;
#   * in RUN, both entries appear as CLUSTER.PROTOCOL.SERVICE.INSTANCE keys (INSTANCE: the id
#     machine_state reports) with the JSON the gossip watcher publishes, and are refreshed every
#     interval; the published address and port serve the container;
#   * after `maintenance` the entries are no longer refreshed and vanish with the bucket's TTL (this
#     node's hoist-cli has no KV connection, so its maintenance drain cannot withdraw them: fleet.sh
#     proves the withdrawal),
#     while the container keeps running; after `resume` they are back;
#   * an apply that drops an entry changes machine.yaml, so Choria reloads the machine under a new
#     instance id: the remaining entry is published under that id, and the old keys expire.
# Prints TAP (harness/lib/scenario.sh) and `register: N passed, M failed`; exits non-zero when a
# check failed.
#
# Settings: HOIST_REGISTER_IDENTITY (default register1.example), HOIST_KEEP_RUN=1 keeps the run folder.
set -uo pipefail

# shellcheck source=harness/lib/choria.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/choria.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

[ "$(id -u)" -eq 0 ] || hoist_die "run as root: puppet apply writes files owned by root"

IDENTITY=${HOIST_REGISTER_IDENTITY:-register1.example}
INTERVAL=2      # the gossip watchers' interval, seconds
TTL=8           # the CHORIA_SERVICES bucket's TTL (choria kv add --ttl), seconds
BUCKET=CHORIA_SERVICES

# The bounds of the waits, each with why it is safe (in parentheses: what it took in a CI run).
FIRST_RUN=120   # apply -> RUN: Choria's store scan (10 s), a pull, a health-gated start (6 s)
PUBLISH=10      # a gossip watcher in RUN publishes: it runs at once on entering RUN, then every
                # INTERVAL (2 s); 10 s is five intervals (1 s)
REFRESH=$((3 * INTERVAL + 3))  # the next publish after a read: one INTERVAL, with two to spare
STATE=15        # a transition's state is reported: Choria's rate limit (up to 5 s), a 2 s reply
EXPIRE=$((TTL + 10))  # an unrefreshed key is gone: the TTL after its last publish, and NATS's
                      # expiry sweep (about a second) (1-2 s after the consistently)
RELOAD=45       # Choria reloads a changed machine.yaml: its store scan runs every 10 s (11 s)
RERUN=60        # the reloaded machine is in RUN again: its initial check and a start (3 s)
# Consistently not refreshed in MAINTENANCE: two intervals and a second, long enough that a
# running watcher would have published twice.
HOLD_STOPPED=$((2 * INTERVAL + 1))

scenario_begin register

summary() {
  note "register scenario: $((SECONDS - SCENARIO_STARTED))s"
  scenario_result
}

# The logs whose tails follow every failed point (harness/lib/scenario.sh).
scenario_logs() {
  echo "choria server|$SLOG"
  echo "hoist_api/hoist.log|$STORE/hoist_api/hoist.log"
  echo "dockerd|${HOIST_DOCKERD_LOG:-}"
}

# --- what the checks look at ------------------------------------------------------------------

# Each predicate sets SAW to what it saw, the evidence of a failed point.
state_is() {
  local st
  st=$(hoist_machine_state "$IDENTITY" hoist_api 2>/dev/null)
  SAW="hoist_api in state ${st:-(no answer, or not running)}"
  [ "$st" = "$1" ]
}
serves() {
  local body
  body=$(curl -fsS --max-time 2 "http://$1:$2/" 2>&1)
  SAW="http://$1:$2/ answered: ${body:0:200}"
  [ "$body" = "hoist-web v1" ]
}
container_running() { [ -n "$(hoist_docker ps -q --filter label=io.choria.hoist.name=api --filter status=running 2>/dev/null)" ]; }

# The machine's instance id, which the gossip watcher puts last in the key.
instance_id() {
  hoist_choria req choria_util machine_state name=hoist_api -I "$IDENTITY" --json 2>/dev/null |
    python3 "$HOIST_ROOT/harness/tools/choria-reply.py" id
}

doc() { python3 "$HOIST_ROOT/harness/tools/doc.py" "$@"; }
keys() { hoist_choria kv keys "$BUCKET" 2>/dev/null; }
# read_keys: the bucket's keys, sorted, read once into KEYS, and SAW says them: a predicate judges
# the reading it shows. Never `keys | grep -q`: under pipefail, grep leaving at the first match kills
# choria with SIGPIPE on its next line, and the check fails on a key it saw.
read_keys() { KEYS=$(keys | sort); SAW="keys: $(paste -sd' ' <<<"$KEYS")"; }
# same_keys KEY...: the bucket holds exactly these keys.
same_keys() { read_keys; [ "$(tr '\n' ' ' <<<"$KEYS")" = "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]; }
new_instance() { local id; id=$(instance_id); SAW="instance id ${id:-(none)}"; [ -n "$id" ] && [ "$id" != "$1" ]; }
has_key() { read_keys; grep -qxF -- "$1" <<<"$KEYS"; }
no_key() { ! has_key "$1"; }
# The key's revision (its stream sequence): it grows with every publish; empty once it expired.
revision() { hoist_choria kv get "$BUCKET" "$1" 2>/dev/null | sed -n 's/^.* sequence \([0-9]*\) created @.*$/\1/p'; }
revision_above() { local r; r=$(revision "$1"); SAW="revision ${r:-(none: expired)}"; [ -n "$r" ] && [ "$r" -gt "$2" ]; }
# not_refreshed KEY REV: KEY still has revision REV, or has expired (REV empty: it had already);
# an expired key was not refreshed either, so the check holds whenever the TTL runs out.
not_refreshed() { local r; r=$(revision "$1"); SAW="revision ${r:-(none: expired)}, was ${2:-(none: expired)}"; [ -z "$r" ] || [ "$r" = "$2" ]; }
# value_is KEY JSON: the published value, as JSON, equals JSON.
value_is() { SAW=$(hoist_choria kv get "$BUCKET" "$1" --raw 2>&1 | doc equal - "$2" 2>&1 | head -1); [ -z "$SAW" ] && has_key "$1"; }

transition() {
  local rc
  note "+ choria req choria_util machine_transition name=hoist_api transition=$1 -I $IDENTITY"
  hoist_machine_transition "$IDENTITY" hoist_api "$1" && rc=0 || rc=$?
  [ "$rc" -ne 1 ]
}

# --- services ---------------------------------------------------------------------------------

hoist_setup_run register
R=$HOIST_RUN
STORE=$R/store
SLOG=$R/choria/$IDENTITY.log

hoist_before_stop() {
  hoist_stop_choria_servers
  [ -n "${HOIST_DOCKER_HOST:-}" ] || return 0
  local ids
  mapfile -t ids < <(hoist_docker ps -aq --filter label=io.choria.hoist.name=api 2>/dev/null)
  [ "${#ids[@]}" -eq 0 ] || hoist_docker rm -f "${ids[@]}" >/dev/null 2>&1 || true
}

step "services"
scenario_services
hoist_choria_bin >/dev/null || hoist_die "no choria binary (see the build output above)"
hoist_ensure_jar
mkdir -p "$STORE" "$R/bin" "$R/lib" "$R/etc" "$R/src"
cp "$HOIST_CLI_JAR" "$R/src/hoist-cli.jar" || hoist_die "cannot copy $HOIST_CLI_JAR"
hoist_start_choria_server "$IDENTITY" "$STORE" || hoist_die "the choria server did not start"
hoist_puppet_setup || hoist_die "cannot set up puppet"

# The bucket the gossip watcher publishes into, new, with a TTL of a few intervals (the README's
# advice for production is 15s and 1m): that TTL is what removes an entry nobody refreshes.
hoist_choria kv del "$BUCKET" --force >/dev/null 2>&1 || true
note "+ choria kv add $BUCKET --ttl ${TTL}s --history 1"
hoist_choria kv add "$BUCKET" --ttl "${TTL}s" --history 1 >/dev/null || hoist_die "choria kv add $BUCKET failed"

PORT=$(hoist_free_port)
IMAGE=$HOIST_REGISTRY/hoist/web
# The second entry takes every default, its address from the node's networking.ip fact.
NODE_IP=$(facter networking.ip 2>/dev/null || true)
[ -n "$NODE_IP" ] || hoist_die "facter reports no networking.ip: the default address of a registration cannot be tested"

cat > "$R/puppet/hieradata/hoist.yaml" <<YAML
---
hoist::purge: false
hoist::machine_store: $STORE
hoist::cli_path: $R/bin/hoist-cli
hoist::jar_path: $R/lib/hoist/hoist-cli.jar
hoist::settings_file: $R/etc/hoist/hoist-cli.conf
hoist::jar_source: $R/src/hoist-cli.jar
hoist::docker_host: $HOIST_DOCKER_HOST
hoist::check_interval: 5s
hoist::containers:
  api:
    image: $IMAGE
    image_tag: v1
    network: host
    stop_timeout: 1
    command: [httpd, -f, -p, "127.0.0.1:$PORT", -h, /www]
    health_http: http://127.0.0.1:$PORT/
    register_ports:
      - cluster: test
        service: api
        protocol: http
        ip: 127.0.0.1
        port: $PORT
        priority: 5
        interval: ${INTERVAL}s
        annotations:
          prometheus.io/scrape: "true"
          prometheus.io/path: /metrics
      - service: api_admin
        port: $PORT
        interval: ${INTERVAL}s
YAML

# --- 1. puppet apply --------------------------------------------------------------------------

step "1. puppet apply: a container with two register_ports entries"
rc=0
hoist_puppet_apply register || rc=$?
if [ "$rc" -eq 0 ] || [ "$rc" -eq 2 ]; then
  ok "puppet apply succeeded (exit $rc)"
else
  quote <"$R/puppet/register.log"
  abort "puppet apply failed (exit $rc)"
fi
M=$STORE/hoist_api
note "the gossip watchers in $M/machine.yaml:"
doc get "$M/machine.yaml" 'watchers.[type=gossip]' | quote
get_is() { SAW="$(doc get "$1" "$2" 2>&1 | paste -sd' ')"; [ "$SAW" = "$3" ]; }
check "machine.yaml has gossip watchers register_port_1 and register_port_2" \
  get_is "$M/machine.yaml" 'watchers.[type=gossip].name' "register_port_1 register_port_2"
check "both gossip watchers run in RUN and DEGRADED only (a passing check: OK or WARNING)" get_is "$M/machine.yaml" 'watchers.[type=gossip].state_match.*' "RUN DEGRADED RUN DEGRADED"
check "machine.yaml validates (official schema + the gossip definition)" "$HOIST_ROOT/harness/tools/validate-machine.py" "$M/machine.yaml"
check "container.json has no register_ports (hoist-cli reads it strictly)" doc lacks "$M/container.json" register_ports

# --- 2. RUN: the registrations appear and are refreshed -----------------------------------------

step "2. the machine reaches RUN: both registrations appear in $BUCKET and are refreshed"
t0=$(now)
eventually "$FIRST_RUN" "hoist_api reaches RUN" state_is RUN || abort "hoist_api never reached RUN"
check "the container serves on 127.0.0.1:$PORT" serves 127.0.0.1 "$PORT"
ID=$(instance_id) || abort "machine_state reports no instance id"
KEY1=test.http.api.$ID
KEY2=api.tcp.api_admin.$ID
note "instance id (choria req choria_util machine_state): $ID"
eventually "$PUBLISH" "key $KEY1 is in $BUCKET" has_key "$KEY1" || abort "no registration appeared"
note "apply -> first registration: $(since "$t0")s"
eventually "$PUBLISH" "key $KEY2 is in $BUCKET" has_key "$KEY2"
note "+ choria kv keys $BUCKET"
keys | quote
note "+ choria kv get $BUCKET $KEY1"
hoist_choria kv get "$BUCKET" "$KEY1" 2>&1 | quote
note "+ choria kv get $BUCKET $KEY2 --raw"
hoist_choria kv get "$BUCKET" "$KEY2" --raw 2>&1 | quote
check "$KEY1 holds the registration as the gossip watcher publishes it (ip as address)" value_is "$KEY1" \
  "{\"cluster\": \"test\", \"service\": \"api\", \"protocol\": \"http\", \"address\": \"127.0.0.1\", \"port\": $PORT, \"priority\": 5,
    \"annotations\": {\"prometheus.io/scrape\": \"true\", \"prometheus.io/path\": \"/metrics\"}}"
check "$KEY2 holds the defaults: cluster api, protocol tcp, address $NODE_IP (networking.ip), priority 1, no annotations" \
  value_is "$KEY2" "{\"cluster\": \"api\", \"service\": \"api_admin\", \"protocol\": \"tcp\", \"address\": \"$NODE_IP\", \"port\": $PORT, \"priority\": 1}"
value=$(hoist_choria kv get "$BUCKET" "$KEY1" --raw 2>/dev/null)
addr=$(doc get - address <<<"$value") port=$(doc get - port <<<"$value")
check "the published address and port ($addr:$port) serve the container" serves "$addr" "$port"
rev=$(revision "$KEY1")
eventually "$REFRESH" "$KEY1 is refreshed (its revision $rev grows, every ${INTERVAL}s)" revision_above "$KEY1" "${rev:-0}"
check "the server log says the watcher gossips in RUN" grep -qF 'register_port_1: Gossiping while in state RUN' "$SLOG"

# --- 3. maintenance: no longer refreshed, gone with the TTL ------------------------------------

step "3. maintenance: the registrations are no longer refreshed and vanish with the bucket's TTL (${TTL}s)"
cursor=$(log_cursor "$SLOG")
t0=$(now)
transition maintenance || not_ok "the maintenance transition was refused"
eventually "$STATE" "hoist_api is in MAINTENANCE" state_is MAINTENANCE || abort "hoist_api never entered MAINTENANCE"
stopped_gossip() {
  local n
  n=$(tail -c +"$((cursor + 1))" "$SLOG" | grep -cF 'Stopping gossip on transition to MAINTENANCE')
  SAW="$n of 2 watchers said so"
  [ "$n" -ge 2 ]
}
eventually "$STATE" "the server log says both watchers stopped gossiping (after the transition)" stopped_gossip
# The revision now, or none when the key has expired already (a slow machine can take the TTL
# to get here): either way it must not grow from here on.
rev=$(revision "$KEY1")
consistently "$HOLD_STOPPED" "$KEY1 is not refreshed in MAINTENANCE (revision ${rev:-none: expired} does not grow)" \
  not_refreshed "$KEY1" "$rev"
eventually "$EXPIRE" "$KEY1 has vanished from $BUCKET (TTL ${TTL}s)" no_key "$KEY1"
eventually "$EXPIRE" "$KEY2 has vanished from $BUCKET" no_key "$KEY2"
note "maintenance -> registrations gone: $(since "$t0")s"
check "the container still runs in MAINTENANCE: Hoist's registration follows the machine's RUN, not Docker" container_running

# --- 4. resume: back -----------------------------------------------------------------------------

step "4. resume: the registrations are published again"
t0=$(now)
transition resume || not_ok "the resume transition was refused"
eventually "$STATE" "hoist_api is back in RUN" state_is RUN
eventually "$PUBLISH" "$KEY1 is back in $BUCKET (same instance id: the machine was not reloaded)" has_key "$KEY1"
eventually "$PUBLISH" "$KEY2 is back in $BUCKET" has_key "$KEY2"
note "resume -> registrations back: $(since "$t0")s"
check "no other key is in $BUCKET" same_keys "$KEY1" "$KEY2"

# --- 5. an entry removed: the machine is reloaded under a new instance id -----------------------

step "5. puppet apply without the second entry: Choria reloads the machine; the old keys expire"
sed -i '/- service: api_admin/,$d' "$R/puppet/hieradata/hoist.yaml"
t0=$(now)
rc=0
hoist_puppet_apply second || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || { quote <"$R/puppet/second.log"; abort "the second puppet apply failed (exit $rc)"; }
check "machine.yaml has one gossip watcher left" test "$(grep -c 'type: gossip' "$M/machine.yaml")" -eq 1
eventually "$RELOAD" "Choria reloaded hoist_api (a new instance id)" new_instance "$ID" || abort "hoist_api was not reloaded"
eventually "$RERUN" "hoist_api is in RUN again" state_is RUN
NEW_ID=$(instance_id)
note "new instance id: $NEW_ID"
eventually "$PUBLISH" "the registration is published under the new id: test.http.api.$NEW_ID" has_key "test.http.api.$NEW_ID"
eventually "$EXPIRE" "the old keys (instance $ID) have expired, and nothing else is there" same_keys "test.http.api.$NEW_ID"
note "apply -> old keys gone, new key there: $(since "$t0")s"

summary
[ "$failed" -eq 0 ]
