#!/usr/bin/env bash
# harness/register-test.sh: `register_ports` under a real Choria (issue 6):
#   Puppet (`include hoist` + Hiera register_ports) -> machine.yaml with gossip watchers -> choria
#   server -> the container reaches RUN for real (hoist-cli, Docker) -> the gossip watchers publish
#   the registrations into the Key-Value bucket CHORIA_SERVICES -> read back with `choria kv`.
#
#   bash harness/register-test.sh      (harness/test.sh runs it as its register stage)
#
# Services: when HOIST_DOCKER_HOST, HOIST_REGISTRY and HOIST_NATS_PORT are set (as harness/test.sh
# exports them, with hoist/web:v1 pushed), it uses those; otherwise it starts its own
# (harness/lib.sh). It always starts its own `choria server` (harness/choria.sh) with its machine
# store in its run folder, stops it by pid at exit, then removes the container it made.
#
# What it checks, each with a bounded wait, one line per check:
#   * the apply writes two gossip watchers into machine.yaml (valid with the gossip definition of
#     harness/validate-machine.py) and no register_ports into container.json;
#   * in RUN, both entries appear as CLUSTER.PROTOCOL.SERVICE.INSTANCE keys (INSTANCE: the id
#     machine_state reports) with the JSON the gossip watcher publishes, and are refreshed every
#     interval; the published address and port serve the container;
#   * after `maintenance` the entries are no longer refreshed and vanish with the bucket's TTL,
#     while the container keeps running; after `resume` they are back;
#   * an apply that drops an entry changes machine.yaml, so Choria reloads the machine under a new
#     instance id: the remaining entry is published under that id, and the old keys expire.
# Prints `register: N passed, M failed` and exits non-zero when a check failed.
#
# Settings: HOIST_REGISTER_IDENTITY (default register1.example), HOIST_KEEP_RUN=1 keeps the run folder.
set -uo pipefail

# shellcheck source=harness/choria.sh
source "$(dirname "${BASH_SOURCE[0]}")/choria.sh"
# shellcheck source=harness/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/scenario.sh"

[ "$(id -u)" -eq 0 ] || hoist_die "run as root: puppet apply writes files owned by root"

IDENTITY=${HOIST_REGISTER_IDENTITY:-register1.example}
INTERVAL=2      # the gossip watchers' interval, seconds
TTL=8           # the CHORIA_SERVICES bucket's TTL (choria kv add --ttl), seconds
BUCKET=CHORIA_SERVICES

scenario_begin register

summary() {
  printf '\nregister scenario: %ss\n' "$((SECONDS - SCENARIO_STARTED))"
  scenario_result
}

# What abort shows before it ends the scenario.
diagnose() {
  echo "--- machine state: $(hoist_machine_state "$IDENTITY" hoist_api 2>/dev/null || echo '(not running)')"
  [ -f "$STORE/hoist_api/hoist.log" ] && tail -n 8 "$STORE/hoist_api/hoist.log" | sed 's/^/  hoist.log| /'
  grep -E '"level":"(warning|error)"' "$SLOG" 2>/dev/null | tail -n 10 | sed -E 's/.*"msg":"([^"]*)".*/  server| \1/'
}

# --- what the checks look at ------------------------------------------------------------------

state_is() { [ "$(hoist_machine_state "$IDENTITY" hoist_api 2>/dev/null)" = "$1" ]; }
serves() { [ "$(curl -fsS --max-time 2 "http://$1:$2/" 2>/dev/null)" = "hoist-web v1" ]; }
container_running() { [ -n "$(hoist_docker ps -q --filter label=io.choria.hoist.name=api --filter status=running 2>/dev/null)" ]; }

# The machine's instance id, which the gossip watcher puts last in the key.
instance_id() {
  hoist_choria req choria_util machine_state name=hoist_api -I "$IDENTITY" --json 2>/dev/null | python3 -c '
import json, sys
for r in json.load(sys.stdin).get("replies", []):
    if r.get("statuscode") == 0 and r.get("data", {}).get("id"):
        print(r["data"]["id"])
        sys.exit(0)
sys.exit(1)'
}

keys() { hoist_choria kv keys "$BUCKET" 2>/dev/null; }
# same_keys KEY...: the bucket holds exactly these keys.
same_keys() { [ "$(keys | sort | tr '\n' ' ')" = "$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]; }
new_instance() { local id; id=$(instance_id) && [ "$id" != "$1" ]; }
has_key() { keys | grep -qxF "$1"; }
no_key() { ! has_key "$1"; }
# The key's revision (its stream sequence): it grows with every publish.
revision() { hoist_choria kv get "$BUCKET" "$1" 2>/dev/null | sed -n 's/^.* sequence \([0-9]*\) created @.*$/\1/p'; }
revision_above() { local r; r=$(revision "$1"); [ -n "$r" ] && [ "$r" -gt "$2" ]; }
# value_is KEY JSON: the published value, as JSON, equals JSON.
value_is() {
  python3 -c 'import json, sys; sys.exit(0 if json.loads(sys.argv[1]) == json.loads(sys.argv[2]) else 1)' \
    "$(hoist_choria kv get "$BUCKET" "$1" --raw 2>/dev/null)" "$2" 2>/dev/null
}

transition() {
  local rc
  echo "   + choria req choria_util machine_transition name=hoist_api transition=$1 -I $IDENTITY"
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
mkdir -p "$STORE" "$R/bin" "$R/lib" "$R/src"
cp "$HOIST_CLI_JAR" "$R/src/hoist-cli.jar" || hoist_die "cannot copy $HOIST_CLI_JAR"
hoist_start_choria_server "$IDENTITY" "$STORE" || hoist_die "the choria server did not start"
hoist_puppet_setup || hoist_die "cannot set up puppet"

# The bucket the gossip watcher publishes into, new, with a TTL of a few intervals (the README's
# advice for production is 15s and 1m): that TTL is what removes an entry nobody refreshes.
hoist_choria kv del "$BUCKET" --force >/dev/null 2>&1 || true
echo "   + choria kv add $BUCKET --ttl ${TTL}s --history 1"
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
  sed 's/^/    | /' "$R/puppet/register.log"
  abort "puppet apply failed (exit $rc)"
fi
M=$STORE/hoist_api
echo "   the gossip watchers in $M/machine.yaml:"
python3 -c '
import sys, yaml
for w in yaml.safe_load(open(sys.argv[1]))["watchers"]:
    if w["type"] == "gossip":
        print("   | " + yaml.safe_dump([w], sort_keys=False).rstrip().replace("\n", "\n   | "))' "$M/machine.yaml"
check "machine.yaml has gossip watchers register_port_1 and register_port_2, in RUN only" python3 -c '
import sys, yaml
g = [w for w in yaml.safe_load(open(sys.argv[1]))["watchers"] if w["type"] == "gossip"]
sys.exit(0 if [(w["name"], w["state_match"]) for w in g] == [("register_port_1", ["RUN"]), ("register_port_2", ["RUN"])] else 1)' "$M/machine.yaml"
check "machine.yaml validates (official schema + the gossip definition)" "$HOIST_ROOT/harness/validate-machine.py" "$M/machine.yaml"
check "container.json has no register_ports (hoist-cli reads it strictly)" python3 -c '
import json, sys
sys.exit(1 if "register_ports" in json.load(open(sys.argv[1])) else 0)' "$M/container.json"

# --- 2. RUN: the registrations appear and are refreshed -----------------------------------------

step "2. the machine reaches RUN: both registrations appear in $BUCKET and are refreshed"
t0=$(now)
within 120 "hoist_api reaches RUN" state_is RUN || abort "hoist_api never reached RUN"
check "the container serves on 127.0.0.1:$PORT" serves 127.0.0.1 "$PORT"
ID=$(instance_id) || abort "machine_state reports no instance id"
KEY1=test.http.api.$ID
KEY2=api.tcp.api_admin.$ID
echo "   instance id (choria req choria_util machine_state): $ID"
within 10 "key $KEY1 is in $BUCKET" has_key "$KEY1" || abort "no registration appeared"
echo "   apply -> first registration: $(since "$t0")s"
within 10 "key $KEY2 is in $BUCKET" has_key "$KEY2"
echo "   + choria kv keys $BUCKET"
keys | sed 's/^/   | /'
echo "   + choria kv get $BUCKET $KEY1"
hoist_choria kv get "$BUCKET" "$KEY1" 2>&1 | sed 's/^/   | /'
echo "   + choria kv get $BUCKET $KEY2 --raw"
hoist_choria kv get "$BUCKET" "$KEY2" --raw 2>&1 | sed 's/^/   | /'
echo
check "$KEY1 holds the registration as the gossip watcher publishes it (ip as address)" value_is "$KEY1" \
  "{\"cluster\": \"test\", \"service\": \"api\", \"protocol\": \"http\", \"address\": \"127.0.0.1\", \"port\": $PORT, \"priority\": 5,
    \"annotations\": {\"prometheus.io/scrape\": \"true\", \"prometheus.io/path\": \"/metrics\"}}"
check "$KEY2 holds the defaults: cluster api, protocol tcp, address $NODE_IP (networking.ip), priority 1, no annotations" \
  value_is "$KEY2" "{\"cluster\": \"api\", \"service\": \"api_admin\", \"protocol\": \"tcp\", \"address\": \"$NODE_IP\", \"port\": $PORT, \"priority\": 1}"
addr=$(hoist_choria kv get "$BUCKET" "$KEY1" --raw 2>/dev/null | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["address"], d["port"])')
check "the published address and port ($addr) serve the container" serves "${addr% *}" "${addr#* }"
rev=$(revision "$KEY1")
within $((3 * INTERVAL + 3)) "$KEY1 is refreshed (its revision $rev grows, every ${INTERVAL}s)" revision_above "$KEY1" "${rev:-0}"
check "the server log says the watcher gossips in RUN" grep -qF 'register_port_1: Gossiping while in state RUN' "$SLOG"

# --- 3. maintenance: no longer refreshed, gone with the TTL ------------------------------------

step "3. maintenance: the registrations are no longer refreshed and vanish with the bucket's TTL (${TTL}s)"
stops=$(server_log_count 'Stopping gossip on transition to MAINTENANCE')
t0=$(now)
transition maintenance || not_ok "the maintenance transition was refused"
within 15 "hoist_api is in MAINTENANCE" state_is MAINTENANCE || abort "hoist_api never entered MAINTENANCE"
within 10 "the server log says both watchers stopped gossiping" server_log_grew 'Stopping gossip on transition to MAINTENANCE' $((stops + 1))
sleep 1
rev=$(revision "$KEY1")
if [ -n "$rev" ]; then
  sleep $((2 * INTERVAL + 1))
  check "$KEY1 is not refreshed in MAINTENANCE (revision still $rev after $((2 * INTERVAL + 1))s)" test "$(revision "$KEY1")" = "$rev"
else
  ok "$KEY1 is not refreshed in MAINTENANCE (already expired)"
fi
within $((TTL + 10)) "$KEY1 has vanished from $BUCKET (TTL ${TTL}s)" no_key "$KEY1"
within 5 "$KEY2 has vanished from $BUCKET" no_key "$KEY2"
echo "   maintenance -> registrations gone: $(since "$t0")s"
check "the container still runs in MAINTENANCE: Hoist's registration follows the machine's RUN, not Docker" container_running

# --- 4. resume: back -----------------------------------------------------------------------------

step "4. resume: the registrations are published again"
t0=$(now)
transition resume || not_ok "the resume transition was refused"
within 15 "hoist_api is back in RUN" state_is RUN
within 10 "$KEY1 is back in $BUCKET (same instance id: the machine was not reloaded)" has_key "$KEY1"
within 10 "$KEY2 is back in $BUCKET" has_key "$KEY2"
echo "   resume -> registrations back: $(since "$t0")s"
check "no other key is in $BUCKET" same_keys "$KEY1" "$KEY2"

# --- 5. an entry removed: the machine is reloaded under a new instance id -----------------------

step "5. puppet apply without the second entry: Choria reloads the machine; the old keys expire"
sed -i '/- service: api_admin/,$d' "$R/puppet/hieradata/hoist.yaml"
t0=$(now)
rc=0
hoist_puppet_apply second || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || { sed 's/^/    | /' "$R/puppet/second.log"; abort "the second puppet apply failed (exit $rc)"; }
check "machine.yaml has one gossip watcher left" test "$(grep -c 'type: gossip' "$M/machine.yaml")" -eq 1
within 30 "Choria reloaded hoist_api (a new instance id)" new_instance "$ID" || abort "hoist_api was not reloaded"
within 60 "hoist_api is in RUN again" state_is RUN
NEW_ID=$(instance_id)
echo "   new instance id: $NEW_ID"
within 10 "the registration is published under the new id: test.http.api.$NEW_ID" has_key "test.http.api.$NEW_ID"
within $((TTL + 10)) "the old keys (instance $ID) have expired, and nothing else is there" same_keys "test.http.api.$NEW_ID"
echo "   apply -> old keys gone, new key there: $(since "$t0")s"

summary
[ "$failed" -eq 0 ]
