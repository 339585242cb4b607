#!/usr/bin/env bash
# harness/puppet-tests.sh: every check of the Puppet module, in order.
#
#   1. puppet parser validate (manifests, types, functions)
#   2. puppet-lint --fail-on-warnings
#   3. metadata.json parses
#   4. the Choria machine schema is there (../shared/choria/machine-manifest-v1.json)
#   5. rspec-puppet: classes, defines, type aliases, functions; the rich example's machines are
#      validated against the schema inside these specs (harness/validate-machine.py)
#   6. harness/puppet-apply-test.sh: a real puppet apply into a temporary machine store (its
#      machines are validated against the schema too). `harness/puppet-tests.sh --with-cli` passes
#      --with-cli on: the apply test then also builds hoist-cli and runs its start and purge
#      against a private dockerd and registry.
#   7. REFERENCE.md is what puppet-strings generates now
#
# Installs what harness/packages.txt lists and is missing. Exits non-zero when a step fails.
set -uo pipefail

# shellcheck source=harness/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$HOIST_ROOT" || exit 1

hoist_install_packages

passed=0
failed=0
failures=()
step() { # step NAME COMMAND...
  local name=$1
  shift
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "=== $name: FAILED"
  fi
}

pp_files() { find manifests types functions -name '*.pp' | sort; }

parser_validate() { pp_files | xargs puppet parser validate; }

lint() { puppet-lint --relative --fail-on-warnings manifests types functions; }

metadata() { python3 -m json.tool metadata.json > /dev/null; }

schema_present() {
  local schema
  schema=$(dirname "$HOIST_ROOT")/shared/choria/machine-manifest-v1.json
  [ -f "$schema" ] || { echo "missing $schema: the machine schema checks cannot run" >&2; return 1; }
  echo "$schema"
}

specs() { rspec; }

apply_test() { harness/puppet-apply-test.sh "$@"; }

reference_current() {
  local tmp out rc
  tmp=$(mktemp -d)
  out=$(puppet strings generate --format markdown --out "$tmp/REFERENCE.md" 2>&1)
  rc=$?
  if [ "$rc" -ne 0 ] || grep -E '\[(warn|error)\]' <<< "$out"; then
    echo "puppet strings failed or warned" >&2
    rm -rf "$tmp"
    return 1
  fi
  if ! diff -u REFERENCE.md "$tmp/REFERENCE.md"; then
    echo "REFERENCE.md is stale: run puppet strings generate --format markdown --out REFERENCE.md" >&2
    rm -rf "$tmp"
    return 1
  fi
  rm -rf "$tmp"
}

step "puppet parser validate" parser_validate
step "puppet-lint" lint
step "metadata.json" metadata
step "machine schema present" schema_present
step "rspec-puppet" specs
step "puppet apply" apply_test "$@"
step "REFERENCE.md current" reference_current

echo
for f in "${failures[@]}"; do echo "failed: $f"; done
echo "puppet-tests steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
