#!/usr/bin/env bash
# harness/scenarios/release.sh: the release package `bash harness/release.sh` builds is the Forge
# module, all of it and nothing else, with Puppet's checksums.json, one version, and reproducible.
#
#   bash harness/test.sh release     (or alone: bash harness/scenarios/release.sh)
#
# Builds the package twice, each time from its own copy of this checkout in the stage's run folder
# (harness/release.sh --rebuild: a `mvn clean package`, which must not clean the checkout's target/
# under the stages running beside this one; two folders also show the build does not depend on
# where it runs), then checks, against Puppet's own code where Puppet has it (harness/tools/puppet-module.rb):
# - the files are exactly the checkout's tracked files in the Forge layout (metadata.json, README,
#   REFERENCE.md, CHANGELOG, LICENSE, hiera.yaml, data/, files/, functions/, manifests/, types/)
#   plus files/hoist-cli.jar and checksums.json: an unexpected or missing file is named;
# - .pmtignore read by Puppet's builder (the pathspec gem) and PDK 3.3+'s allowlist take the same files;
# - checksums.json is what Puppet::ModuleTool::Checksums writes; `puppet module install` takes the
#   tarball and `puppet module changes` finds nothing modified in what it installed;
# - metadata.json's version, the tarball's name and top folder, and `hoist-cli --version` of the
#   packaged jar (run as the launcher runs it) agree, and --version names this commit;
# - the two builds are byte-identical, and a re-run reuses the package only for a clean checkout.
# Needs no service. Prints TAP and `release: N passed, M failed`.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"

scenario_begin release
summary() { scenario_result; }
hoist_setup_run release
tools=$HOIST_ROOT/harness/tools
cd "$HOIST_ROOT" || exit 1

# The Forge module layout (puppet-modulebuilder 2.x's allowlist), as git pathspecs from the top.
LAYOUT=(metadata.json 'README*' REFERENCE.md 'CHANGELOG*' LICENSE hiera.yaml bolt_plugin.json data docs examples
  facts.d files functions lib locales manifests plans scripts tasks templates types)
# What a Hoist package cannot do without.
REQUIRED=(metadata.json README.md REFERENCE.md CHANGELOG.md LICENSE hiera.yaml data/common.yaml manifests/init.pp
  files/hoist-cli files/hoist-cli.jar files/prometheus/hoist.rules.yml templates/hoist-cli.epp templates/hoist-cli.conf.epp
  checksums.json)

# copy NAME: the checkout (its .git and working tree, without build output) in $HOIST_RUN/NAME-src.
copy() {
  mkdir -p "$HOIST_RUN/$1-src" &&
    tar -C "$HOIST_ROOT" --exclude=./target --exclude=./hoist-cli/target -cf - . | tar -C "$HOIST_RUN/$1-src" -xf -
}
build() { # build NAME: harness/release.sh --rebuild of a copy into $HOIST_RUN/NAME; stdout to NAME.out, stderr to NAME.err
  copy "$1" && bash "$HOIST_RUN/$1-src/harness/release.sh" --rebuild --out "$HOIST_RUN/$1" >"$HOIST_RUN/$1.out" 2>"$HOIST_RUN/$1.err"
}
scenario_logs() { echo "release.sh (first build)|$HOIST_RUN/one.err"; }

step "build the package (harness/release.sh)"
start=$SECONDS
if ! check "harness/release.sh exits 0" build one; then
  quote <"$HOIST_RUN/one.err"
  abort "no package to check"
fi
timings+=("first build (mvn clean package, pack)|$((SECONDS - start)) s")
tarball=$(head -n 1 "$HOIST_RUN/one.out")
name=$(python3 "$tools/module-package.py" release-name "$HOIST_ROOT")
version=${name#hoistproject-hoist-}
note "package: ${tarball#"$HOIST_RUN"/} ($(stat -c %s "$tarball") bytes); metadata.json's version: $version"

printed_list() { # the entries release.sh printed after the path are the tarball's
  SAW=$(diff <(tail -n +2 "$HOIST_RUN/one.out") <(python3 "$tools/module-package.py" list "$tarball") | head -n 5)
  [ -z "$SAW" ]
}
check "the first line is the tarball's path, the others its entries" printed_list

step "its files: the Forge layout of this commit, the jar and checksums.json"
git ls-files -- "${LAYOUT[@]}" >"$HOIST_RUN/expected"
printf '%s\n' files/hoist-cli.jar checksums.json >>"$HOIST_RUN/expected"
has_required() {
  local f missing=()
  for f in "${REQUIRED[@]}"; do grep -qxF "$f" "$HOIST_RUN/expected" || missing+=("$f"); done
  SAW="not in the expected list: ${missing[*]}"
  [ "${#missing[@]}" -eq 0 ]
}
check "the expected list ($(wc -l <"$HOIST_RUN/expected") files) holds everything a Hoist package needs" has_required
while IFS= read -r line; do
  case "$line" in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) SAW="${line#not ok - }"; not_ok "${line#not ok - }" ;;
  esac
done < <(python3 "$tools/module-package.py" verify "$tarball" "$HOIST_RUN/expected")

mkdir -p "$HOIST_RUN/unpacked"
tar -xzf "$tarball" -C "$HOIST_RUN/unpacked"
module=$HOIST_RUN/unpacked/$name
tar -tzf "$tarball" | grep -v '/$' | sed "s|^$name/||" | grep -vxF checksums.json | sort >"$HOIST_RUN/packaged"
same_files() { # same_files COMMAND...: the files COMMAND lists are the package's
  SAW=$(diff <("$@" | sort) "$HOIST_RUN/packaged" | head -n 5)
  [ -z "$SAW" ]
}
check ".pmtignore, read as Puppet's builder reads it (pathspec gem, ARTIFACTS), takes the same files" \
  same_files ruby "$tools/puppet-module.rb" pmt-files "$HOIST_ROOT"
check "PDK 3.3+'s allowlist (puppet-modulebuilder 2.x) takes the same files" \
  same_files ruby "$tools/puppet-module.rb" pdk-files "$HOIST_ROOT"

step "checksums.json and Puppet's module tool"
puppet_checksums() {
  SAW=$(cmp <(ruby "$tools/puppet-module.rb" checksums "$module") "$module/checksums.json" 2>&1)
  [ -z "$SAW" ]
}
check "checksums.json is byte for byte what Puppet::ModuleTool::Checksums writes" puppet_checksums
install() { # Puppet's own installer takes the tarball as it is
  SAW=$(puppet module install --ignore-dependencies --target-dir "$HOIST_RUN/modules" "$tarball" --color false 2>&1 | tail -n 3)
  [ -f "$HOIST_RUN/modules/hoist/files/hoist-cli.jar" ]
}
check "puppet module install --ignore-dependencies installs it as the module hoist" install
changes() {
  SAW=$(puppet module changes "$HOIST_RUN/modules/hoist" --color false 2>&1 | tail -n 3)
  grep -q "No modified files" <<<"$SAW"
}
check "puppet module changes finds no modified file in the installed module" changes

step "one version: metadata.json, the tarball and hoist-cli --version"
commit=$(git rev-parse HEAD)
[ -n "$(git status --porcelain --untracked-files=no)" ] && commit="$commit-dirty"
want="hoist-cli $version (commit $commit)"
version_line() { # version_line COMMAND...: COMMAND prints $want and nothing else
  SAW=$("$@" 2>&1)
  [ "$SAW" = "$want" ]
}
check "the packaged jar: $want" version_line java -jar "$module/files/hoist-cli.jar" --version
check "the packaged launcher with the packaged jar says the same" \
  version_line env HOIST_CLI_JAR="$module/files/hoist-cli.jar" HOIST_CDS=off "$module/files/hoist-cli" --version
no_signatures() { # BouncyCastle's signature files would make the JVM refuse the shaded jar
  SAW=$(jar tf "$module/files/hoist-cli.jar" | grep -E '^META-INF/[^/]+\.(SF|RSA|DSA|EC)$')
  [ -z "$SAW" ]
}
check "the jar holds no signature file of the signed BouncyCastle jars" no_signatures

step "reproducible: a second build of the same checkout"
start=$SECONDS
if check "harness/release.sh --rebuild exits 0 again" build two; then
  timings+=("second build|$((SECONDS - start)) s")
  identical() {
    SAW="$(sha256sum "$tarball" "$HOIST_RUN/two/$name.tar.gz" | cut -d' ' -f1 | paste -sd' ')"
    cmp -s "$tarball" "$HOIST_RUN/two/$name.tar.gz"
  }
  check "the two builds are byte-identical (sha256 $(sha256sum "$tarball" | cut -c1-16)...)" identical
fi
reuse() { # a re-run reuses the package of a clean checkout, and builds anew when the checkout has changes
  bash "$HOIST_RUN/two-src/harness/release.sh" --out "$HOIST_RUN/two" >"$HOIST_RUN/three.out" 2>"$HOIST_RUN/three.err" || return 1
  if [ -z "$(git -C "$HOIST_RUN/two-src" status --porcelain)" ]; then
    SAW="clean checkout: $(tail -n 1 "$HOIST_RUN/three.err")"
    grep -q "already built" "$HOIST_RUN/three.err" && diff -q "$HOIST_RUN/three.out" "$HOIST_RUN/two.out" >/dev/null
  else
    SAW="checkout with changes: $(grep -c "building hoist-cli.jar" "$HOIST_RUN/three.err") build(s)"
    grep -q "building hoist-cli.jar" "$HOIST_RUN/three.err"
  fi
}
check "a re-run without --rebuild reuses the package only when the checkout is clean" reuse

scenario_table 40 ""
summary
[ "$failed" -eq 0 ]
