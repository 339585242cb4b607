#!/usr/bin/env bash
# harness/release.sh: builds Hoist's release, the Forge module package hoistproject-hoist-VERSION.tar.gz.
#
#   bash harness/release.sh [--rebuild] [--out DIR]
#
# stdout: the tarball's path on the first line, then its entries, one per line (progress goes to
# stderr), so CI can take the path with `| head -n 1`. The folder is target/release/ (git-ignored),
# or --out DIR (or HOIST_RELEASE_DIR).
#
#   1. The version is metadata.json's: the tarball's name, its top folder and `hoist-cli --version`
#      carry the same value (the build writes metadata.json's version into the jar).
#   2. The jar: `mvn clean package` of this checkout, without tests (the java stage runs them),
#      offline when the local Maven repository has everything. It embeds the git commit
#      (`-dirty` when tracked files differ from it). mvn copies it to files/hoist-cli.jar.
#   3. The package (harness/tools/module-package.py): the files .pmtignore leaves in, read as
#      `puppet module build` reads it (so: metadata.json, manifests/, functions/, types/, data/,
#      hiera.yaml, files/, README.md, REFERENCE.md, CHANGELOG.md, LICENSE), and checksums.json as
#      Puppet writes it. Deterministic: every mtime is the commit's time (SOURCE_DATE_EPOCH wins),
#      owner root, sorted entries, and the jar's entries get that time too, so two builds of one
#      commit are byte-identical.
#
# Re-running on a clean checkout whose commit was already built prints the same tarball without
# building (a stamp beside it records the commit and the tarball's sha256); --rebuild builds anew.
# `bash harness/test.sh release` builds it twice and checks the package.
set -euo pipefail
# shellcheck source=harness/lib/common.sh
source "$(dirname "$0")/lib/common.sh"

rebuild=false
out=${HOIST_RELEASE_DIR:-$HOIST_ROOT/target/release}
while [ $# -gt 0 ]; do
  case "$1" in
    --rebuild) rebuild=true; shift ;;
    --out) [ $# -ge 2 ] || hoist_die "--out needs a folder"; out=$2; shift 2 ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) hoist_die "unknown argument '$1' (bash harness/release.sh --help)" ;;
  esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
tool=$HOIST_ROOT/harness/tools/module-package.py
name=$(python3 "$tool" release-name "$HOIST_ROOT") || hoist_die "metadata.json does not name a release"
tarball=$out/$name.tar.gz
stamp=$tarball.stamp

# The commit, and whether the checkout is exactly it (untracked files count: they would be packaged).
commit=
clean=false
if git -C "$HOIST_ROOT" rev-parse --verify -q HEAD >/dev/null 2>&1; then
  commit=$(git -C "$HOIST_ROOT" rev-parse HEAD)
  [ -z "$(git -C "$HOIST_ROOT" status --porcelain)" ] && clean=true
fi

if ! $rebuild && $clean && [ -f "$tarball" ] && [ -f "$stamp" ] &&
  [ "$(cat "$stamp")" = "$commit $(sha256sum "$tarball" | cut -d' ' -f1)" ]; then
  hoist_log "$name.tar.gz of $commit is already built (--rebuild builds it again)"
  echo "$tarball"
  python3 "$tool" list "$tarball"
  exit 0
fi
rm -f "$stamp"

if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  epoch=$SOURCE_DATE_EPOCH
elif [ -n "$commit" ]; then
  epoch=$(git -C "$HOIST_ROOT" log -1 --format=%ct HEAD)
else
  epoch=$(date +%s)
  hoist_log "not a git checkout: the package's times are now's, so another build will differ"
fi
[ -n "$commit" ] && ! $clean && hoist_log "the checkout has changes or untracked files beyond $commit: this package is not that commit's"

hoist_log "building hoist-cli.jar (mvn clean package, no tests)"
mvn_args=(-B -q -DskipTests "-Dproject.build.outputTimestamp=$epoch" clean package)
if ! (cd "$HOIST_ROOT" && mvn -o "${mvn_args[@]}") >&2; then
  hoist_log "the offline build failed; trying again with Maven Central"
  (cd "$HOIST_ROOT" && mvn "${mvn_args[@]}") >&2 || hoist_die "mvn package failed"
fi
cmp -s "$HOIST_ROOT/hoist-cli/target/hoist-cli.jar" "$HOIST_ROOT/files/hoist-cli.jar" ||
  hoist_die "files/hoist-cli.jar is not the jar just built"

hoist_log "packing $name.tar.gz"
python3 "$tool" build "$HOIST_ROOT" "$out" "$epoch"
if $clean; then echo "$commit $(sha256sum "$tarball" | cut -d' ' -f1)" > "$stamp"; fi
