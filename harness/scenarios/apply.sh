#!/usr/bin/env bash
# harness/scenarios/apply.sh: a real `puppet apply` of `include hoist` into a temporary machine
# store, with a temporary hiera.yaml, the module as a user installs it (this checkout's release
# tarball, harness/release.sh, by `puppet module install --ignore-dependencies` into an empty
# modulepath beside Debian's puppetlabs-stdlib: harness/lib/puppet.sh), and the real hoist-cli of
# that tarball against the harness's dockerd and registry.
#
#   bash harness/test.sh apply      (or alone: bash harness/scenarios/apply.sh)
#
# Checks files and modes, that every container.json validates against schema/container-spec.v1.json
# (news runs with restart_governor G and a volume with a space, which hoist-cli once refused), that
# the health settings reach container.json but not machine.yaml
# (whose remediate and restart timeouts allow for them), the machine's watchers (the failure
# marker's KV watcher too), that the node's settings are in the settings file alone (hoist::kv_config
# as HOIST_CHORIA_CONFIG; no watcher has an environment, the Scout check runs the launcher by its path)
# and the launcher run with no environment finds them, that a second apply changes nothing, that a
# changed hoist::docker_host rewrites the settings file and no machine.yaml, that a new environment value changes
# container.json only and the installed hoist-cli then sees the drift and restarts, that removing
# a container from Hiera updates the managed list and `hoist-cli purge --store` removes its
# machine.yaml, then (next run) its folder and container, that `ensure: absent` removes a machine
# folder, that `hoist::purge: false` removes the purge machine, that `hoist::ensure: absent`
# removes every machine, then the containers, the launcher, the jar, its archive and folder (and a
# second apply changes nothing), and that bad Hiera fails, naming the container and the field, and
# writes nothing. Java: this machine has openjdk-17-jre-headless (harness/lib/packages.txt), so
# `hoist::manage_java`'s package changes nothing here; section 8 is a node without Java: a Debian 13
# root (harness/lib/puppet.sh's hoist_puppet8_root, cached) under a throwaway overlay, where Puppet 8
# applies the same tarball, installs openjdk-21-jre-headless from Debian's archive (the .debs cached
# in ~/.cache/hoist), and the launcher runs hoist-cli, which starts a container on the harness's
# dockerd; the versions (Puppet, Facter, Ruby, stdlib) are printed.
#
# Services: the harness's dockerd and registry when test.sh exported them, else its own. Runs as
# root (the module writes files owned by root). Prints TAP (harness/lib/scenario.sh) and
# `apply: N passed, M failed`; exits non-zero when a check failed. No wait: every check is of
# something puppet apply or hoist-cli did before it returned.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=harness/lib/puppet.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/puppet.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

[ "$(id -u)" -eq 0 ] || hoist_die "run as root: the module writes files owned by root"
command -v puppet >/dev/null || hoist_die "puppet is not installed (see harness/lib/packages.txt)"

scenario_begin apply
summary() { scenario_result; }
scenario_logs() { echo "the last puppet apply|$LAST_APPLY_LOG"; }

hoist_setup_run apply
R=$HOIST_RUN
P=$R/puppet
hoist_before_stop() {
  [ -n "${HOIST_DOCKER_HOST:-}" ] || return 0
  local ids
  mapfile -t ids < <(for n in news node8; do hoist_docker ps -aq --filter "label=io.choria.hoist.name=$n" 2>/dev/null; done)
  [ "${#ids[@]}" -eq 0 ] || hoist_docker rm -f "${ids[@]}" >/dev/null 2>&1 || true
}
scenario_services
hoist_puppet_setup release || hoist_die "cannot install the release tarball"
# The module as installed: its launcher and jar are what the node gets.
MODULE=$HOIST_MODULE_DIR
note "module: $(python3 "$HOIST_ROOT/harness/tools/doc.py" get "$MODULE/metadata.json" version) installed from $HOIST_RELEASE_TARBALL"
mkdir -p "$R/bin" "$R/lib" "$R/etc" "$R/store"
# The container that leaves Hiera in step 3, a real image.
news_image=$HOIST_REGISTRY/hoist/web
docker_host=$HOIST_DOCKER_HOST
HIERA=$P/hieradata/hoist.yaml
# The node's settings file (hoist::settings_file), which the launcher Puppet installs names.
SETTINGS=$R/etc/hoist/hoist-cli.conf
LAST_APPLY_LOG=

# write_hiera STORE: the settings every apply shares, for machine store STORE; the caller
# appends hoist::containers and anything else.
write_hiera() {
  cat > "$HIERA" <<YAML
---
hoist::machine_store: $1
hoist::cli_path: $R/bin/hoist-cli
hoist::jar_path: $R/lib/hoist/hoist-cli.jar
hoist::settings_file: $SETTINGS
hoist::docker_host: $docker_host
YAML
}

# papply NAME: puppet apply of `include hoist`; the log is $P/NAME.log; returns puppet's
# --detailed-exitcodes status (0 no change, 2 changes, 1/4/6 failures).
papply() { LAST_APPLY_LOG=$P/$1.log; hoist_puppet_apply "$1"; }

mode_is() { SAW="$(stat -c '%a %U %G' "$2" 2>&1)"; [ "$SAW" = "$1" ]; }
doc() { python3 "$HOIST_ROOT/harness/tools/doc.py" "$@"; }
# get_is FILE PATH VALUE: harness/tools/doc.py get FILE PATH prints VALUE (lines joined by spaces).
get_is() { SAW="$(doc get "$1" "$2" 2>&1 | paste -sd' ')"; [ "$SAW" = "$3" ]; }
# json_is FILE JSON: the parsed file equals the JSON document.
json_is() { SAW=$(doc equal "$1" "$2" 2>&1 | head -1); [ -z "$SAW" ]; }

# cli NAME ARGS...: the installed hoist-cli, run as a Choria exec watcher runs it: in the machine
# folder of NAME, with nothing in the environment but PATH (the watchers set nothing: the launcher
# reads the settings file).
cli() {
  local name=$1
  shift
  (cd "$S/hoist_$name" 2>/dev/null || cd "$S" && env -i PATH="$PATH" "$R/bin/hoist-cli" "$@")
}
news_containers() { hoist_docker ps -a --filter label=io.choria.hoist.name=news --format '{{.Names}}'; }
# news_is NAMES: the containers labelled news are exactly NAMES ("" for none).
news_is() { SAW="containers labelled news: $(news_containers | paste -sd' ')"; [ "$(news_containers | paste -sd' ')" = "$1" ]; }
# news_inspect_is FORMAT TEXT: docker inspect -f FORMAT of hoist_news prints TEXT.
news_inspect_is() { SAW=$(hoist_docker inspect -f "$1" hoist_news 2>&1); [ "$SAW" = "$2" ]; }
# exits CODE COMMAND...: COMMAND exits with CODE.
exits() { local want=$1 rc; shift; "$@"; rc=$?; SAW="exit $rc"; [ "$rc" -eq "$want" ]; }

show_log() { quote <"$P/$1.log"; }

# --- 1. first apply -----------------------------------------------------------------------------

S=$R/store
touch "$R/weather.conf"
write_hiera "$S"
cat >> "$HIERA" <<YAML
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
    restart_governor: G
    volumes:
      - "$R/news data:/data:ro"
    memory: 64m
    cpus: 0.5
    labels:
      com.example.team: news
    log_driver: json-file
    log_opts:
      max-size: 1m
    tmpfs:
      - /run:size=8m
YAML
mkdir -p "$R/news data"

installed() { SAW=$(dpkg-query -W -f='${Status}' "$1" 2>&1); [ "$SAW" = "install ok installed" ]; }
check "openjdk-17-jre-headless is installed here, so hoist::manage_java installs nothing on this machine" installed openjdk-17-jre-headless ||
  abort "this machine lacks openjdk-17-jre-headless (harness/lib/packages.txt): the apply would install it"
papply first
rc=$?
check "first apply changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log first
check "machine folder hoist_weather is 755 root root" mode_is '755 root root' "$S/hoist_weather"
check "container.json is 600 root root" mode_is '600 root root' "$S/hoist_weather/container.json"
check "machine.yaml is 644 root root" mode_is '644 root root' "$S/hoist_weather/machine.yaml"
check "container.json holds the spec with defaults filled in" json_is "$S/hoist_weather/container.json" "{
  \"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\", \"network\": \"bridge\", \"syslog\": true,
  \"environment\": [\"WEATHER_API_KEY=c2..4a\"], \"volumes\": [\"/srv/weather/logs:/logs\"], \"ports\": [\"8080:8080\"],
  \"kv_update\": true, \"kv_bucket\": \"HOIST_weather\", \"kv_key\": \"TAG\", \"kv_interval\": \"10s\", \"check_interval\": \"2m\",
  \"stop_timeout\": 10, \"restart_files\": [\"$R/weather.conf\"],
  \"health_http\": \"http://127.0.0.1:8080/health\", \"health_status\": 204, \"health_tcp\": \"8080\",
  \"health_command\": [\"/bin/weather\", \"--ping\"], \"start_timeout\": \"5m\", \"min_healthy_time\": \"0s\"}"
M=$S/hoist_weather/machine.yaml
check "machine.yaml is machine hoist_weather" get_is "$M" name hoist_weather
check "machine.yaml watchers: initial_check check remediate restart update stop tag failed_tag rollout restart_file_1" \
  get_is "$M" 'watchers.*.name' "initial_check check remediate restart update stop tag failed_tag rollout restart_file_1"
check "a failed check remediates: the remediate watcher runs hoist-cli start --if-needed" \
  get_is "$M" 'watchers.[name=remediate].properties.command' "$R/bin/hoist-cli start --if-needed weather"
check "the failed_tag watcher polls the failure marker HOIST_weather TAG_failed" \
  get_is "$M" 'watchers.[name=failed_tag].properties.bucket' HOIST_weather
check "the failed_tag watcher's key is TAG_failed" get_is "$M" 'watchers.[name=failed_tag].properties.key' TAG_failed
check "the failed_tag watcher has no transition (it only keeps the marker in the machine data)" \
  bash -c '! python3 "$1" get "$2" "watchers.[name=failed_tag].success_transition" && ! python3 "$1" get "$2" "watchers.[name=failed_tag].fail_transition"' \
  _ "$HOIST_ROOT/harness/tools/doc.py" "$M"
exec_watchers=$(doc get "$M" 'watchers.[type=exec].name' | wc -l)
# no_env FILE...: no watcher of the machines names an environment or a node setting.
no_env() {
  SAW=$(grep -HnE 'environment:|DOCKER_HOST|HOIST_[A-Z]|/usr/bin/env|docker\.sock' "$@" | head -n 3)
  [ -z "$SAW" ]
}
check "no watcher ($exec_watchers exec and the nagios check) carries an environment or a node setting" no_env "$S"/*/machine.yaml
# the settings file: what the watchers used to carry, once, hoist::kv_config as HOIST_CHORIA_CONFIG.
settings_are() {
  SAW=$(grep -v '^#' "$SETTINGS" 2>&1 | paste -sd' ')
  [ "$SAW" = "DOCKER_HOST=$docker_host HOIST_CLI_JAR=$R/lib/hoist/hoist-cli.jar HOIST_REGISTRY_AUTH=/etc/hoist/registry-auth.json HOIST_CHORIA_CONFIG=/etc/choria/server.conf" ]
}
check "the settings file holds the Docker endpoint, the jar, the credentials file's path and HOIST_CHORIA_CONFIG" settings_are
check "the settings file is 644 root, its folder 755 root" bash -c "[ \"\$(stat -c '%a %U %G' '$SETTINGS' '${SETTINGS%/*}' | paste -sd' ')\" = '644 root root 755 root root' ]"
check "the check watcher calls the installed hoist-cli" get_is "$M" 'watchers.0.properties.command' "$R/bin/hoist-cli check weather"
# scout_plugin: the nagios watcher `check` runs the installed hoist-cli's Nagios form by its path
# alone, as the seed's check did (the launcher reads the settings file).
scout_plugin() {
  local p
  p=$(doc get "$M" 'watchers.[name=check].properties.plugin')
  SAW="$p"
  [ "$p" = "$R/bin/hoist-cli check --nagios weather" ] && [ "$(doc get "$M" 'watchers.[name=check].type')" = nagios ]
}
check "the Scout check is a nagios watcher running the installed hoist-cli check --nagios" scout_plugin
check "the remediate and restart watchers' timeout covers a health-gated start: 300 + 0 + 10 + 120 = 430s" \
  get_is "$M" 'watchers.[name=remediate].properties.timeout' 430s
check "the restart watcher's timeout is the remediate watcher's" get_is "$M" 'watchers.[name=restart].properties.timeout' 430s
check "news' remediate and restart watchers' timeout is the 300s floor" \
  get_is "$S/hoist_news/machine.yaml" 'watchers.[name=remediate].properties.timeout' 300s
check "news' restart watcher's timeout is the 300s floor too" get_is "$S/hoist_news/machine.yaml" 'watchers.[name=restart].properties.timeout' 300s

check "machine.yaml holds no health setting" bash -c "! grep -qE 'health_|start_timeout|min_healthy_time|--ping' '$S/hoist_weather/machine.yaml'"
check "machine.yaml holds no environment value" bash -c "! grep -q 'c2..4a' '$S/hoist_weather/machine.yaml'"
check "the apply log shows no environment value" bash -c "! grep -q 'c2..4a' '$P/first.log'"
check "hoist_news is written too" test -f "$S/hoist_news/container.json" -a -f "$S/hoist_news/machine.yaml"
check "managed.json lists news and weather" json_is "$S/hoist_purge/managed.json" '{"containers": ["news", "weather"]}'
check "managed.json is 644 root root" mode_is '644 root root' "$S/hoist_purge/managed.json"
check "the purge machine runs hoist-cli purge --store" \
  get_is "$S/hoist_purge/machine.yaml" 'watchers.0.properties.command' "$R/bin/hoist-cli purge --store $S"
check "every machine.yaml validates against the Choria schema" "$HOIST_ROOT/harness/tools/validate-machine.py" "$S"/*/machine.yaml
check "every container.json validates against schema/container-spec.v1.json" "$HOIST_ROOT/harness/tools/contract.py" validate "$S"/*/container.json
check "the launcher is installed 755 root" mode_is '755 root root' "$R/bin/hoist-cli"
# launcher_is: the module's files/hoist-cli, headed by the settings file's path (templates/hoist-cli.epp).
launcher_is() {
  SAW=$(sed -n 4p "$R/bin/hoist-cli")
  [ "$SAW" = ": \"\${HOIST_SETTINGS:=$SETTINGS}\"" ] && cmp <(tail -n +5 "$R/bin/hoist-cli") <(tail -n +2 "$MODULE/files/hoist-cli")
}
check "the launcher is the module's files/hoist-cli, headed by the settings file's path" launcher_is
check "the jar's folder is created 755 root" mode_is '755 root root' "$R/lib/hoist"
check "the jar is installed 644 root" mode_is '644 root root' "$R/lib/hoist/hoist-cli.jar"
check "the jar is the module's files/hoist-cli.jar (hoist::jar_source's default)" cmp "$R/lib/hoist/hoist-cli.jar" "$MODULE/files/hoist-cli.jar"
check "the first apply did not touch Java (openjdk-17-jre-headless is installed here)" bash -c "! grep -q 'Package\[' '$P/first.log'"

check "hoist-cli start news, from its machine folder, exits 0 (restart_governor G, a volume with a space)" cli news start news
check "the news container runs, labelled by Hoist" news_is hoist_news
check "news' container options reach container.json as Hiera gives them (memory 64m, cpus 0.5)" \
  get_is "$S/hoist_news/container.json" memory 64m
check "news' container runs with them: memory, NanoCpus, its label, json-file rotated, a tmpfs" \
  news_inspect_is '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{index .Config.Labels "com.example.team"}} {{.HostConfig.LogConfig.Type}} {{index .HostConfig.LogConfig.Config "max-size"}} {{.HostConfig.Tmpfs}}' \
  '67108864 500000000 news json-file 1m map[/run:size=8m]'

# --- 2. a second apply changes nothing, and leaves Choria's machine_data.json alone --------------

echo '{}' > "$S/hoist_weather/machine_data.json"
papply second
rc=$?
check "second apply changes nothing (exit 0, got $rc)" [ "$rc" -eq 0 ] || show_log second
check "Choria's machine_data.json is left in the machine folder" test -f "$S/hoist_weather/machine_data.json"

# --- 2a. a new Docker endpoint rewrites the settings file and no machine.yaml ---------------------

# machine_sums: every machine.yaml's checksum, one line each.
machine_sums() { sha256sum "$S"/*/machine.yaml; }
same_machines() { SAW=$(diff <(echo "$1") <(machine_sums) | head -n 4); [ -z "$SAW" ]; }
sums=$(machine_sums)
settings_sum=$(sha256sum < "$SETTINGS")
elsewhere=unix://$R/elsewhere/docker.sock
doc set "$HIERA" 'hoist::docker_host' "\"$elsewhere\""
papply endpoint
rc=$?
check "a new hoist::docker_host changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log endpoint
check "the settings file names the new endpoint" grep -qx "DOCKER_HOST=$elsewhere" "$SETTINGS"
check "no machine.yaml changed, so Choria reloads no machine" same_machines "$sums"
# unreachable_named: the launcher, run as a watcher runs it, takes the new endpoint from the settings file.
unreachable_named() {
  local out rc
  out=$(cli news check news 2>&1)
  rc=$?
  SAW="exit $rc: ${out:0:300}"
  [ "$rc" -eq 3 ] && [[ $out == *"$R/elsewhere/docker.sock"* ]]
}
check "hoist-cli check, as a watcher runs it, now asks the new endpoint (exit 3, unreachable, named)" unreachable_named
check "an operator's DOCKER_HOST in the environment wins over the settings file: check news passes" \
  env DOCKER_HOST="$docker_host" "$R/bin/hoist-cli" check news --store "$S"
doc set "$HIERA" 'hoist::docker_host' "\"$docker_host\""
papply endpoint-back
rc=$?
check "the endpoint set back changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log endpoint-back
check "the settings file is what it was" [ "$(sha256sum < "$SETTINGS")" = "$settings_sum" ]
check "still no machine.yaml changed" same_machines "$sums"
check "hoist-cli check news, as a watcher runs it, passes again" cli news check news

# --- 2b. a new environment value changes container.json only; the check sees it ---------------

machine_sum=$(sha256sum < "$S/hoist_news/machine.yaml")
doc set "$HIERA" 'hoist::containers.news.environment' '["EDITION=evening"]'
papply env
rc=$?
check "a new environment value changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log env
check "news' container.json has the new value" grep -q 'EDITION=evening' "$S/hoist_news/container.json"
check "the changed container.json still validates against the schema" "$HOIST_ROOT/harness/tools/contract.py" validate "$S/hoist_news/container.json"
check "news' machine.yaml is unchanged, so Choria does not reload the machine" [ "$(sha256sum < "$S/hoist_news/machine.yaml")" = "$machine_sum" ]
check "hoist-cli check news now fails with exit 1: the machine will remediate it" exits 1 cli news check news
check "hoist-cli restart news exits 0" cli news restart news
check "hoist-cli check news passes after the restart" cli news check news
before=$(hoist_docker ps -q --no-trunc --filter label=io.choria.hoist.name=news)
check "hoist-cli start --if-needed news, as the remediate watcher runs it, exits 0" cli news start --if-needed news
check "start --if-needed left the healthy news container in place" \
  [ "$(hoist_docker ps -q --no-trunc --filter label=io.choria.hoist.name=news)" = "$before" ]

# --- 3. removing a container from Hiera updates the managed list ----------------------------------

doc delete "$HIERA" 'hoist::containers.news'
papply removed
rc=$?
check "removing news from Hiera changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log removed
check "managed.json lists only weather" json_is "$S/hoist_purge/managed.json" '{"containers": ["weather"]}'
check "Puppet leaves the hoist_news folder to hoist-cli purge" test -d "$S/hoist_news"

# After news left Hiera, `hoist-cli purge --store` first removes its machine.yaml (Choria stops the
# machine at its next scan, its folder still there), then, at a run --stop-wait later (0 here: no
# Choria runs), its folder and its container.
check "hoist-cli purge --store exits 0" cli weather purge --store "$S" --stop-wait 0
check "hoist-cli purge removed hoist_news's machine.yaml first" test ! -e "$S/hoist_news/machine.yaml"
check "that purge kept the hoist_news folder while Choria stops the machine" test -f "$S/hoist_news/container.json"
check "hoist-cli purge kept hoist_weather" test -f "$S/hoist_weather/machine.yaml"
check "that purge kept the news container until the machine has stopped" news_is hoist_news
check "hoist-cli purge --store exits 0 again" cli weather purge --store "$S" --stop-wait 0
check "the next hoist-cli purge removed the hoist_news folder" test ! -e "$S/hoist_news"
check "the next hoist-cli purge removed the news container" news_is ""

# --- 4. ensure: absent removes the machine folder ----------------------------------------------

doc set "$HIERA" 'hoist::containers.weather.ensure' '"absent"'
papply absent
rc=$?
check "ensure: absent changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log absent
check "ensure: absent removed hoist_weather, machine_data.json and all" test ! -e "$S/hoist_weather"
check "managed.json lists no container" json_is "$S/hoist_purge/managed.json" '{"containers": []}'
papply absent-again
rc=$?
check "applying ensure: absent again changes nothing (exit 0, got $rc)" [ "$rc" -eq 0 ] || show_log absent-again

# --- 5. hoist::purge: false removes the purge machine -----------------------------------------

echo "hoist::purge: false" >> "$HIERA"
papply nopurge
rc=$?
check "hoist::purge false changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log nopurge
check "hoist::purge false removed hoist_purge" test ! -e "$S/hoist_purge"

# --- 5b. hoist::ensure: absent removes Hoist: machines first, then containers, then hoist-cli ----

write_hiera "$S"
cat >> "$HIERA" <<YAML
hoist::containers:
  news:
    image: $news_image
    image_tag: v1
    network: none
YAML
papply again
rc=$?
check "Hoist applied again with news (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log again
check "hoist-cli start news exits 0" cli news start news
check "the news container runs" news_is hoist_news
check "the launcher made the class-data-sharing archive beside the jar" test -s "$R/lib/hoist/hoist-cli.jsa"
echo "hoist::ensure: absent" >> "$HIERA"
papply remove
rc=$?
check "hoist::ensure absent changes things (exit 2, got $rc)" [ "$rc" -eq 2 ] || show_log remove
# in_order LOG: purge --all's output in the log: every machine stopped before any folder or container went.
in_order() {
  local kinds
  kinds=$(grep -oE '(stop-machine|remove-folder|remove-container) [a-z_]+' "$1" | paste -sd, -)
  SAW="purge --all did: ${kinds:-nothing}"
  [[ $kinds == "stop-machine purge,stop-machine news,remove-folder news,remove-container news,remove-folder purge" ]]
}
check "hoist-cli purge --all stopped both machines (purge's first), then removed news' folder, its container, the purge folder" in_order "$P/remove.log"
check "the news container is gone" news_is ""
check "no Hoist machine folder is left in the store" bash -c "[ -z \"\$(ls -A '$S')\" ]"
check "the launcher is gone" test ! -e "$R/bin/hoist-cli"
check "the jar, its archive and their folder are gone" test ! -e "$R/lib/hoist"
check "the settings file is gone (its folder stays)" test ! -e "$SETTINGS" -a -d "${SETTINGS%/*}"
check "Java stays" installed openjdk-17-jre-headless
papply remove-again
rc=$?
check "applying hoist::ensure absent again changes nothing (exit 0, got $rc)" [ "$rc" -eq 0 ] || show_log remove-again

# --- 6. bad Hiera fails the catalogue and writes nothing ------------------------------------------

# bad_hiera NAME MESSAGE_REGEX YAML: apply `hoist::containers: YAML` into an empty store.
bad_hiera() {
  local name=$1 message=$2 containers=$3 store=$R/bad-$1 rc
  mkdir -p "$store"
  rm -rf "$R/bin/hoist-cli" "$R/lib/hoist"
  write_hiera "$store"
  printf 'hoist::containers:\n%s\n' "$containers" >> "$HIERA"
  papply "bad-$name"
  rc=$?
  SAW="exit $rc"
  check "bad Hiera ($name) fails the apply (exit 1)" [ "$rc" -eq 1 ]
  if grep -qE -- "$message" "$P/bad-$name.log"; then
    ok "bad Hiera ($name) is reported: $(grep -oE -- "$message[^(]*" "$P/bad-$name.log" | head -1)"
  else
    SCENARIO_EXPECTED="the apply log matches /$message/"
    not_ok "bad Hiera ($name) is reported as /$message/"
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
bad_hiera label "entry 'weather' entry 'labels' .*Hoist::LabelKey" '  weather:
    image: example/weather
    labels:
      io.choria.hoist.managed: "false"'
bad_hiera log_driver "Hoist::Container\[weather\]: syslog is true but log_driver is .journald." '  weather:
    image: example/weather
    syslog: true
    log_driver: journald'
bad_hiera unknown_key "entry 'weather' unrecognized key 'colour'" '  weather:
    image: example/weather
    colour: blue'
bad_hiera kv_server "parameter 'kv_server' expects a match for Hoist::NatsUrls" '  weather:
    image: example/weather
hoist::kv_server: broker1:4222'

# --- 7. a Debian 13 node without Java: Puppet 8 applies the released module -------------------

step "a Debian 13 node without Java: Puppet 8, the same tarball, the JRE from Debian's packages"
t=$SECONDS
ROOT8=$(hoist_puppet8_root) || abort "no Debian 13 root (see the debootstrap log above)"
NODE=$R/node8
note "$(hoist_root_versions "$ROOT8")"
mkdir -p "$NODE/modules" "$NODE/hieradata" "$NODE/store"
cp -a "$MODULE" "$NODE/modules/hoist"
ln -s "$(hoist_stdlib_dir "$ROOT8")" "$NODE/modules/stdlib"
cat > "$NODE/hiera.yaml" <<YAML
---
version: 5
defaults:
  datadir: $NODE/hieradata
  data_hash: yaml_data
hierarchy:
  - name: hoist
    path: hoist.yaml
YAML
cat > "$NODE/hieradata/hoist.yaml" <<YAML
---
hoist::machine_store: $NODE/store
hoist::docker_host: $docker_host
hoist::containers:
  node8:
    image: $news_image
    image_tag: v1
    network: none
YAML
node() { hoist_in_node "$ROOT8" "$NODE" "$@"; }
# node_apply NAME: puppet apply in the node, log $NODE/NAME.log, puppet's --detailed-exitcodes status.
node_apply() {
  LAST_APPLY_LOG=$NODE/$1.log
  node puppet apply --detailed-exitcodes --color=false --modulepath "$NODE/modules" --hiera_config "$NODE/hiera.yaml" \
    -e 'include hoist' >"$LAST_APPLY_LOG" 2>&1
}
node8_running() {
  SAW="containers labelled node8: $(hoist_docker ps --filter label=io.choria.hoist.name=node8 --format '{{.Names}} {{.Status}}' | paste -sd' ')"
  [ -n "$(hoist_docker ps -q --filter label=io.choria.hoist.name=node8)" ]
}
no_java() { SAW=$(node sh -c 'command -v java; ls /usr/lib/jvm 2>&1' 2>&1); ! node sh -c 'command -v java || [ -e /usr/bin/java ]' >/dev/null; }
check "the node has no Java" no_java
check "the node reads Debian's package lists (apt-get update)" node apt-get update -qq
node_apply first
rc=$?
check "Puppet 8 applies the module on the node (exit 2, got $rc)" [ "$rc" -eq 2 ] || quote <"$LAST_APPLY_LOG"
no_deprecation() { SAW=$(grep -i 'deprecat' "$NODE/first.log" | head -n 3); [ -z "$SAW" ]; }
check "the apply logs no deprecation (stdlib 9's unnamespaced functions are not called)" no_deprecation
java_version() { SAW=$(node dpkg-query -W -f='${Package} ${Version}' openjdk-21-jre-headless 2>&1); [[ $SAW == "openjdk-21-jre-headless "* ]]; }
check "hoist::manage_java installed the JRE from Debian's packages" java_version
note "the node's JRE: $(node dpkg-query -W -f='${Package} ${Version}' openjdk-21-jre-headless 2>&1)"
want="hoist-cli $(python3 "$HOIST_ROOT/harness/tools/doc.py" get "$MODULE/metadata.json" version)"
launcher() { SAW=$(node env -i /usr/local/bin/hoist-cli --version 2>&1); [[ $SAW == "$want (commit "* ]]; }
# env -i: no PATH, as bare as a Choria exec watcher's environment can be: the launcher falls back to /usr/bin/java.
check "the installed launcher, with no PATH at all, runs the installed jar on that JRE: $want" launcher
node_settings() { SAW=$(node cat /etc/hoist/hoist-cli.conf 2>&1 | grep -c "^DOCKER_HOST=$docker_host\$"); [ "$SAW" = 1 ]; }
check "the node's settings file, /etc/hoist/hoist-cli.conf by default, names the harness's dockerd" node_settings
check "hoist-cli start node8, as the machine's watcher runs it (no environment: the settings file), exits 0" \
  node /bin/sh -c "cd '$NODE/store/hoist_node8' && exec env -i /usr/local/bin/hoist-cli start node8"
check "the node's container runs on the harness's dockerd" node8_running
check "the machine validates against the Choria schema" "$HOIST_ROOT/harness/tools/validate-machine.py" "$NODE/store/hoist_node8/machine.yaml"
node_apply second
rc=$?
check "a second Puppet 8 apply changes nothing (exit 0, got $rc)" [ "$rc" -eq 0 ] || quote <"$LAST_APPLY_LOG"
mapfile -t ids < <(hoist_docker ps -aq --filter label=io.choria.hoist.name=node8)
[ "${#ids[@]}" -eq 0 ] || hoist_docker rm -f "${ids[@]}" >/dev/null 2>&1
timings+=("Debian 13 node (Puppet 8, JRE install, start)|$((SECONDS - t)) s")
scenario_table 46 ""

summary
[ "$failed" -eq 0 ]
