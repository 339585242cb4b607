#!/usr/bin/env bash
# harness/puppet-apply-test.sh: a real `puppet apply` of `include hoist` into a temporary machine
# store, with a temporary hiera.yaml, this module and Debian's puppetlabs-stdlib.
#
#   harness/puppet-apply-test.sh [--with-cli]
#
# Checks files and modes, that the health settings reach container.json but not machine.yaml
# (whose remediate and restart timeouts allow for them), the machine's watchers (the failure
# marker's KV watcher too) and that hoist::kv_config reaches every exec watcher's environment as
# HOIST_CHORIA_CONFIG, that a second apply changes nothing, that removing a
# container from Hiera updates the managed list, that `ensure: absent` removes a machine folder,
# that `hoist::purge: false` removes the purge machine, and that bad Hiera fails and writes nothing.
#
# With --with-cli it also runs the installed hoist-cli against a private dockerd and registry
# (harness/lib.sh): `start` runs the container `news`, and after news leaves Hiera,
# `purge --store` removes its machine.yaml, then (next run) its folder and container. HOIST_CLI_JAR, when
# set, is the jar to use instead of building one.
#
# Runs as root (the module writes files owned by root). Prints one line per check and a
# closing "N passed, N failed"; exits non-zero when a check fails.
set -uo pipefail

# shellcheck source=harness/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

with_cli=false
[ "${1:-}" = "--with-cli" ] && with_cli=true

[ "$(id -u)" -eq 0 ] || hoist_die "run as root: the module writes files owned by root"
command -v puppet >/dev/null || hoist_die "puppet is not installed (see harness/packages.txt)"

hoist_setup_run puppet-apply
R=$HOIST_RUN
PYTHON=/usr/bin/python3 # Debian's, with python3-yaml

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
check() { # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; return 1; fi
}

# --- the module and its dependencies -------------------------------------------------------

stdlib=$(dpkg -L puppet-module-puppetlabs-stdlib 2>/dev/null | grep '/metadata.json$' | awk '{ print length, $0 }' | sort -n | head -1 | cut -d' ' -f2-)
[ -n "$stdlib" ] || hoist_die "puppet-module-puppetlabs-stdlib is not installed (see harness/packages.txt)"
mkdir -p "$R/modules/hoist/files" "$R/bin" "$R/lib" "$R/src" "$R/store" "$R/var" "$R/conf" "$R/code" "$R/hieradata"
ln -s "$(dirname "$stdlib")" "$R/modules/stdlib"
for f in manifests types functions templates data hiera.yaml metadata.json; do
  [ -e "$HOIST_ROOT/$f" ] && cp -r "$HOIST_ROOT/$f" "$R/modules/hoist/"
done
# The launcher comes from the CLI's side of the repository; the jar is a stand-in unless the
# real one is used (--with-cli).
if [ -f "$HOIST_ROOT/files/hoist-cli" ]; then
  cp "$HOIST_ROOT/files/hoist-cli" "$R/modules/hoist/files/hoist-cli"
else
  hoist_log "files/hoist-cli is not there yet: installing a stand-in launcher"
  printf '#!/bin/sh\necho "stand-in hoist-cli launcher" >&2\nexit 70\n' > "$R/modules/hoist/files/hoist-cli"
fi

# The container that leaves Hiera in step 3: a real image with --with-cli.
news_image=example/news
docker_host=unix:///var/run/docker.sock
if $with_cli; then
  hoist_install_packages
  [ -n "${HOIST_CLI_JAR:-}" ] || hoist_build_jar
  cp "$HOIST_CLI_JAR" "$R/src/hoist-cli.jar"
  hoist_start_dockerd
  hoist_start_registry
  hoist_build_test_images
  news_image=$HOIST_REGISTRY/hoist/web
  docker_host=$HOIST_DOCKER_HOST
else
  echo "stand-in jar" > "$R/src/hoist-cli.jar"
fi

cat > "$R/hiera.yaml" <<YAML
---
version: 5
defaults:
  datadir: $R/hieradata
  data_hash: yaml_data
hierarchy:
  - name: test
    path: test.yaml
YAML

# write_hiera STORE: the settings every apply shares, for machine store STORE; the caller
# appends hoist::containers and anything else.
write_hiera() {
  cat > "$R/hieradata/test.yaml" <<YAML
---
hoist::machine_store: $1
hoist::cli_path: $R/bin/hoist-cli
hoist::jar_path: $R/lib/hoist/hoist-cli.jar
hoist::jar_source: $R/src/hoist-cli.jar
hoist::docker_host: $docker_host
YAML
}

# papply NAME: puppet apply of `include hoist`; the log is $R/NAME.log; returns puppet's
# --detailed-exitcodes status (0 no change, 2 changes, 1/4/6 failures).
papply() {
  local log=$R/$1.log rc
  puppet apply --detailed-exitcodes --color=false \
    --modulepath "$R/modules" --hiera_config "$R/hiera.yaml" \
    --vardir "$R/var" --confdir "$R/conf" --codedir "$R/code" --logdir "$R/var/log" --rundir "$R/var/run" \
    -e 'include hoist' > "$log" 2>&1
  rc=$?
  # Facter cannot read /proc/1/environ in some sandboxes; that noise is not ours.
  grep -v 'Facter: Permission denied' "$log" > "$log.clean" || true
  mv "$log.clean" "$log"
  return "$rc"
}

mode_is() { [ "$(stat -c '%a %U %G' "$2")" = "$1" ]; }

# json_is FILE PYTHON_EXPR: the parsed file equals the Python literal.
json_is() { "$PYTHON" -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1])) == eval(sys.argv[2]) else 1)' "$1" "$2"; }
yaml_query() { "$PYTHON" -c 'import yaml,sys; m=yaml.safe_load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# cli NAME ARGS...: the installed hoist-cli, run as a Choria exec watcher runs it: in the machine
# folder of NAME, with nothing in the environment but PATH and what the watchers set.
cli() {
  local name=$1
  shift
  (cd "$S/hoist_$name" 2>/dev/null || cd "$S" && env -i PATH="$PATH" DOCKER_HOST="$docker_host" \
    HOIST_CLI_JAR="$R/lib/hoist/hoist-cli.jar" "$R/bin/hoist-cli" "$@")
}
news_containers() { hoist_docker ps -a --filter label=io.choria.hoist.name=news --format '{{.Names}}'; }

show_log() { sed 's/^/    | /' "$R/$1.log"; }

# --- 1. first apply -----------------------------------------------------------------------------

S=$R/store
touch "$R/weather.conf"
write_hiera "$S"
cat >> "$R/hieradata/test.yaml" <<YAML
hoist::kv_config: /etc/choria/server.conf
hoist::containers:
  weather:
    image: example/weather
    image_tag: v1
    syslog: true
    kv_update: true
    environment:
      - WEATHER_API_KEY=c2..4a
    volumes:
      - /srv/weather/logs:/logs
    ports:
      - "8080:8080"
    restart_files:
      - $R/weather.conf
    health_http: http://127.0.0.1:8080/health
    health_status: 204
    health_tcp: "8080"
    health_command: [/bin/weather, --ping]
    start_timeout: 5m
    min_healthy_time: 0s
  news:
    image: $news_image
    image_tag: v1
    network: none
YAML

papply first
rc=$?
check "first apply changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log first
check "machine folder hoist_weather is 755 root root" mode_is '755 root root' "$S/hoist_weather"
check "container.json is 600 root root" mode_is '600 root root' "$S/hoist_weather/container.json"
check "machine.yaml is 644 root root" mode_is '644 root root' "$S/hoist_weather/machine.yaml"
check "container.json holds the spec with defaults filled in" json_is "$S/hoist_weather/container.json" "{
  'name': 'weather', 'image': 'example/weather', 'image_tag': 'v1', 'network': 'bridge', 'syslog': True,
  'environment': ['WEATHER_API_KEY=c2..4a'], 'volumes': ['/srv/weather/logs:/logs'], 'ports': ['8080:8080'],
  'kv_update': True, 'kv_bucket': 'HOIST_weather', 'kv_key': 'TAG', 'kv_interval': '10s', 'check_interval': '3m',
  'stop_timeout': 10, 'restart_files': ['$R/weather.conf'],
  'health_http': 'http://127.0.0.1:8080/health', 'health_status': 204, 'health_tcp': '8080',
  'health_command': ['/bin/weather', '--ping'], 'start_timeout': '5m', 'min_healthy_time': '0s'}"
check "machine.yaml is machine hoist_weather" [ "$(yaml_query "$S/hoist_weather/machine.yaml" "m['name']")" = hoist_weather ]
check "machine.yaml watchers: initial_check check remediate restart update stop tag failed_tag restart_file_1" \
  [ "$(yaml_query "$S/hoist_weather/machine.yaml" "' '.join(w['name'] for w in m['watchers'])")" = "initial_check check remediate restart update stop tag failed_tag restart_file_1" ]
check "a failed check remediates: the remediate watcher runs hoist-cli start --if-needed" \
  [ "$(yaml_query "$S/hoist_weather/machine.yaml" "[w['properties']['command'] for w in m['watchers'] if w['name'] == 'remediate'][0]")" = "$R/bin/hoist-cli start --if-needed weather" ]
check "the failed_tag watcher polls the failure marker HOIST_weather TAG_failed, with no transition" \
  [ "$(yaml_query "$S/hoist_weather/machine.yaml" "[(w['properties']['bucket'], w['properties']['key'], 'success_transition' in w or 'fail_transition' in w) for w in m['watchers'] if w['name'] == 'failed_tag'][0]")" = "('HOIST_weather', 'TAG_failed', False)" ]
check "every exec watcher gets HOIST_CHORIA_CONFIG from hoist::kv_config, and no HOIST_NATS_URL" \
  [ "$(yaml_query "$S/hoist_weather/machine.yaml" "{tuple(e for e in w['properties']['environment'] if e.startswith(('HOIST_CHORIA_CONFIG=', 'HOIST_NATS_URL='))) for w in m['watchers'] if w['type'] == 'exec'}")" = "{('HOIST_CHORIA_CONFIG=/etc/choria/server.conf',)}" ]
check "the check watcher calls the installed hoist-cli" \
  [ "$(yaml_query "$S/hoist_weather/machine.yaml" "m['watchers'][0]['properties']['command']")" = "$R/bin/hoist-cli check weather" ]
check "the remediate and restart watchers' timeout covers a health-gated start: 300 + 0 + 10 + 120 = 430s" \
  [ "$(yaml_query "$S/hoist_weather/machine.yaml" "[w['properties']['timeout'] for w in m['watchers'] if w['name'] in ('remediate', 'restart')]")" = "['430s', '430s']" ]
check "news' remediate and restart watchers' timeout is the 300s floor" \
  [ "$(yaml_query "$S/hoist_news/machine.yaml" "[w['properties']['timeout'] for w in m['watchers'] if w['name'] in ('remediate', 'restart')]")" = "['300s', '300s']" ]
check "machine.yaml holds no health setting" bash -c "! grep -qE 'health_|start_timeout|min_healthy_time|--ping' '$S/hoist_weather/machine.yaml'"
check "machine.yaml holds no environment value" bash -c "! grep -q 'c2..4a' '$S/hoist_weather/machine.yaml'"
check "the apply log shows no environment value" bash -c "! grep -q 'c2..4a' '$R/first.log'"
check "hoist_news is written too" test -f "$S/hoist_news/container.json" -a -f "$S/hoist_news/machine.yaml"
check "managed.json lists news and weather, 644" json_is "$S/hoist_purge/managed.json" "{'containers': ['news', 'weather']}"
check "managed.json is 644 root root" mode_is '644 root root' "$S/hoist_purge/managed.json"
check "the purge machine runs hoist-cli purge --store" \
  [ "$(yaml_query "$S/hoist_purge/machine.yaml" "m['watchers'][0]['properties']['command']")" = "$R/bin/hoist-cli purge --store $S" ]
check "every machine.yaml validates against the Choria schema" "$HOIST_ROOT/harness/validate-machine.py" "$S"/*/machine.yaml
check "the launcher is installed 755 from files/hoist-cli" bash -c "[ \"\$(stat -c '%a %U' '$R/bin/hoist-cli')\" = '755 root' ] && cmp -s '$R/bin/hoist-cli' '$R/modules/hoist/files/hoist-cli'"
check "the jar's folder is created, the jar installed 644 from jar_source" \
  bash -c "[ \"\$(stat -c '%a' '$R/lib/hoist')\" = 755 ] && [ \"\$(stat -c '%a %U' '$R/lib/hoist/hoist-cli.jar')\" = '644 root' ] && cmp -s '$R/lib/hoist/hoist-cli.jar' '$R/src/hoist-cli.jar'"

if $with_cli; then
  out=$(cli news start news 2>&1)
  rc=$?
  check "hoist-cli start news, from its machine folder, exits 0 (got $rc)" [ "$rc" -eq 0 ] || echo "$out" | sed 's/^/    | /'
  check "the news container runs, labelled by Hoist" [ "$(news_containers)" = hoist_news ]
fi

# --- 2. a second apply changes nothing, and leaves Choria's machine_data.json alone --------------

echo '{}' > "$S/hoist_weather/machine_data.json"
papply second
rc=$?
check "second apply changes nothing (exit 0, got $rc)" [ "$rc" -eq 0 ] || show_log second
check "Choria's machine_data.json is left in the machine folder" test -f "$S/hoist_weather/machine_data.json"

# --- 2b. a new environment value changes container.json only; the check sees it ---------------

machine_sum=$(sha256sum < "$S/hoist_news/machine.yaml")
"$PYTHON" - "$R/hieradata/test.yaml" <<'PY'
import sys, yaml
path = sys.argv[1]
data = yaml.safe_load(open(path))
data["hoist::containers"]["news"]["environment"] = ["EDITION=evening"]
yaml.safe_dump(data, open(path, "w"), default_flow_style=False)
PY
papply env
rc=$?
check "a new environment value changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log env
check "news' container.json has the new value" grep -q 'EDITION=evening' "$S/hoist_news/container.json"
check "news' machine.yaml is unchanged, so Choria does not reload the machine" [ "$(sha256sum < "$S/hoist_news/machine.yaml")" = "$machine_sum" ]
if $with_cli; then
  cli news check news > /dev/null 2>&1
  rc=$?
  check "hoist-cli check news now fails (exit 1, got $rc): the machine will remediate it" [ "$rc" -eq 1 ]
  out=$(cli news restart news 2>&1)
  rc=$?
  check "hoist-cli restart news exits 0 (got $rc)" [ "$rc" -eq 0 ] || echo "$out" | sed 's/^/    | /'
  cli news check news > /dev/null 2>&1
  rc=$?
  check "hoist-cli check news passes after the restart (exit 0, got $rc)" [ "$rc" -eq 0 ]
  before=$(hoist_docker ps -q --no-trunc --filter label=io.choria.hoist.name=news)
  out=$(cli news start --if-needed news 2>&1)
  rc=$?
  check "hoist-cli start --if-needed news, as the remediate watcher runs it, exits 0 (got $rc)" [ "$rc" -eq 0 ] || echo "$out" | sed 's/^/    | /'
  check "start --if-needed left the healthy news container in place" \
    [ "$(hoist_docker ps -q --no-trunc --filter label=io.choria.hoist.name=news)" = "$before" ]
fi

# --- 3. removing a container from Hiera updates the managed list ----------------------------------

"$PYTHON" - "$R/hieradata/test.yaml" <<'PY'
import sys, yaml
path = sys.argv[1]
data = yaml.safe_load(open(path))
del data["hoist::containers"]["news"]
yaml.safe_dump(data, open(path, "w"), default_flow_style=False)
PY
papply removed
rc=$?
check "removing news from Hiera changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log removed
check "managed.json lists only weather" json_is "$S/hoist_purge/managed.json" "{'containers': ['weather']}"
check "Puppet leaves the hoist_news folder to hoist-cli purge" test -d "$S/hoist_news"

# cli_purge_removes_unmanaged: after news left Hiera, `hoist-cli purge --store` first removes its
# machine.yaml (Choria stops the machine at its next scan, its folder still there), then, at a run
# --stop-wait later (0 here: no Choria runs), its folder and its container.
cli_purge_removes_unmanaged() {
  if ! $with_cli; then
    echo "# hoist-cli purge step not run: it needs the real CLI and Docker (run with --with-cli)"
    return 0
  fi
  local out rc
  out=$(cli weather purge --store "$S" --stop-wait 0 2>&1)
  rc=$?
  check "hoist-cli purge --store exits 0 (got $rc)" [ "$rc" -eq 0 ] || echo "$out" | sed 's/^/    | /'
  check "hoist-cli purge removed hoist_news's machine.yaml first" test ! -e "$S/hoist_news/machine.yaml"
  check "that purge kept the hoist_news folder while Choria stops the machine" test -f "$S/hoist_news/container.json"
  check "hoist-cli purge kept hoist_weather" test -f "$S/hoist_weather/machine.yaml"
  check "that purge kept the news container until the machine has stopped" [ "$(news_containers)" = hoist_news ]
  out=$(cli weather purge --store "$S" --stop-wait 0 2>&1)
  rc=$?
  check "hoist-cli purge --store exits 0 again (got $rc)" [ "$rc" -eq 0 ] || echo "$out" | sed 's/^/    | /'
  check "the next hoist-cli purge removed the hoist_news folder" test ! -e "$S/hoist_news"
  check "the next hoist-cli purge removed the news container" [ -z "$(news_containers)" ]
}
cli_purge_removes_unmanaged
rm -rf "$S/hoist_news" # as purge would, for the steps below

# --- 4. ensure: absent removes the machine folder ----------------------------------------------

sed -i 's/^    image: example\/weather$/    image: example\/weather\n    ensure: absent/' "$R/hieradata/test.yaml"
papply absent
rc=$?
check "ensure: absent changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log absent
check "ensure: absent removed hoist_weather, machine_data.json and all" test ! -e "$S/hoist_weather"
check "managed.json lists no container" json_is "$S/hoist_purge/managed.json" "{'containers': []}"
papply absent-again
rc=$?
check "applying ensure: absent again changes nothing (exit 0, got $rc)" [ "$rc" -eq 0 ] || show_log absent-again

# --- 5. hoist::purge: false removes the purge machine -----------------------------------------

echo "hoist::purge: false" >> "$R/hieradata/test.yaml"
papply nopurge
rc=$?
check "hoist::purge false changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log nopurge
check "hoist::purge false removed hoist_purge" test ! -e "$S/hoist_purge"

# --- 6. bad Hiera fails the catalogue and writes nothing ------------------------------------------

# bad_hiera NAME MESSAGE_REGEX YAML: apply `hoist::containers: YAML` into an empty store.
bad_hiera() {
  local name=$1 message=$2 containers=$3 store=$R/bad-$1 rc
  mkdir -p "$store"
  rm -rf "$R/bin/hoist-cli" "$R/lib/hoist"
  write_hiera "$store"
  printf 'hoist::containers:\n%s\n' "$containers" >> "$R/hieradata/test.yaml"
  papply "bad-$name"
  rc=$?
  check "bad Hiera ($name) fails the apply (exit 1, got $rc)" [ "$rc" -eq 1 ]
  if grep -qE -- "$message" "$R/bad-$name.log"; then
    ok "bad Hiera ($name) is reported: $(grep -oE -- "$message[^(]*" "$R/bad-$name.log" | head -1)"
  else
    not_ok "bad Hiera ($name) is reported as /$message/"
    show_log "bad-$name"
  fi
  check "bad Hiera ($name) writes nothing" bash -c "[ -z \"\$(ls -A '$store')\" ] && [ ! -e '$R/bin/hoist-cli' ] && [ ! -e '$R/lib/hoist' ]"
}

bad_hiera dot "key of entry 'web\.app' expects a match for Hoist::Name" '  web.app:
    image: example/web'
bad_hiera space "key of entry 'web app' expects a match for Hoist::Name" '  web app:
    image: example/web'
bad_hiera port "entry 'weather' entry 'ports' index 0 expects a match for Hoist::Port" '  weather:
    image: example/weather
    ports:
      - "80:http"'
bad_hiera env "entry 'weather' entry 'environment' index 0 expects a match for Hoist::EnvVar" '  weather:
    image: example/weather
    environment:
      - WEATHER_API_KEY'
bad_hiera volume "entry 'weather' entry 'volumes' index 0 expects a match for Hoist::Volume" '  weather:
    image: example/weather
    volumes:
      - logs:/logs'
bad_hiera kv_interval "entry 'weather' entry 'kv_interval' expects a match for Hoist::Duration" '  weather:
    image: example/weather
    kv_interval: 0'
bad_hiera health_http "entry 'weather' entry 'health_http' expects a match for Hoist::HealthUrl" '  weather:
    image: example/weather
    health_http: http://10.0.0.5:8080/health'
bad_hiera health_tcp "entry 'weather' entry 'health_tcp' expects a match for Hoist::HealthTcp" '  weather:
    image: example/weather
    health_tcp: "70000"'
bad_hiera min_healthy_time "entry 'weather' entry 'min_healthy_time' expects a match for Hoist::Period" '  weather:
    image: example/weather
    min_healthy_time: 5'
bad_hiera health_status "Hoist::Container\[weather\]: health_status is set without health_http" '  weather:
    image: example/weather
    health_status: 200'
bad_hiera unknown_key "entry 'weather' unrecognized key 'colour'" '  weather:
    image: example/weather
    colour: blue'
bad_hiera kv_server "parameter 'kv_server' expects a match for Hoist::NatsUrls" '  weather:
    image: example/weather
hoist::kv_server: broker1:4222'

echo "puppet apply: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
