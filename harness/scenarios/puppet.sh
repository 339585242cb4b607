#!/usr/bin/env bash
# harness/scenarios/puppet.sh: the Puppet module's static checks and specs, one TAP point each.
#
#   bash harness/test.sh puppet     (or alone: bash harness/scenarios/puppet.sh)
#
#   1. rake validate: puppet parser validate of every manifest (manifests, types, functions), the
#      templates and the Hiera data (puppetlabs_spec_helper's task; see the Rakefile)
#   2. rake lint: puppet-lint on manifests, types and functions, every default check, warnings fail
#   3. metadata.json parses
#   4. the Choria machine schema is there (../shared/choria/machine-manifest-v1.json)
#   5. rake spec, rspec-puppet: classes, defines, type aliases, functions, spec/contract (the shared corpus,
#      the types and defaults against schema/container-spec.v1.json, container.json validated) and
#      spec/tools (the machine validator); the rich example's machines are validated against the
#      schema inside these specs (harness/tools/validate-machine.py)
#   6. REFERENCE.md is what puppet-strings generates now (rake strings:validate:reference), and
#      puppet-strings warns of nothing
#   7. docs/spec.md's container key table is what schema/container-spec.v1.json generates
#      (harness/tools/contract.py table)
#   8. rspec-puppet again on Puppet 8 with stdlib 9: the same specs, chrooted into a Debian 13 root
#      made with debootstrap and cached (harness/lib/puppet.sh's hoist_puppet8_root: Puppet 8,
#      Facter 4, stdlib 9, rspec-puppet 4), on a copy of this checkout in the run folder; the
#      versions are printed. (The real Puppet 8 apply is the apply stage's, on that root.)
# (A real puppet apply is the apply stage, harness/scenarios/apply.sh.) Needs no service and no
# wait. Prints TAP and `puppet: N passed, M failed`; a failed step shows the end of its output.
set -uo pipefail

# shellcheck source=harness/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=harness/lib/puppet.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/puppet.sh"
# shellcheck source=harness/lib/scenario.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/scenario.sh"
cd "$HOIST_ROOT" || exit 1

hoist_install_packages
scenario_begin puppet
summary() { scenario_result; }

# The module's own Rake tasks (Rakefile: puppetlabs_spec_helper's and puppet-strings', as Debian
# packages them), as a developer runs them from a checkout.
rake_validate() { rake validate; }
rake_lint() { rake lint; }
metadata() { python3 -m json.tool metadata.json >/dev/null; }
schema_present() {
  local schema
  schema=$(dirname "$HOIST_ROOT")/shared/choria/machine-manifest-v1.json
  SAW="no file $schema: the machine schema checks cannot run"
  [ -f "$schema" ]
}
# rspec's own output stays in full (a `# ` line each): its summary and failures are the evidence.
specs() {
  local rc
  rake spec 2>&1 | quote rspec
  rc=${PIPESTATUS[0]}
  return "$rc"
}
reference_current() {
  local out rc=0
  out=$(rake strings:validate:reference 2>&1) || rc=1
  if grep -E '\[(warn|error)\]' <<<"$out"; then
    SAW="puppet strings warned: $(grep -E '\[(warn|error)\]' <<<"$out" | head -3)"
    rc=1
  elif [ "$rc" -ne 0 ]; then
    SAW="$(grep -E "outdated|does not exist" <<<"$out"): run rake strings:generate:reference"
  fi
  return "$rc"
}

# Puppet 8's rspec runs in the Debian 13 root on the second core while Puppet 7's runs here: the
# stage takes the longer of the two, not their sum. Its output is shown, whole, after Puppet 7's.
hoist_setup_run puppet
t=$SECONDS
p8_pid=
if root8=$(hoist_puppet8_root); then
  # The checkout's files (tracked and new, as rspec here reads them) and the Choria schema beside it.
  mkdir -p "$HOIST_RUN/p8/main" "$HOIST_RUN/p8/shared"
  git ls-files -z --cached --others --exclude-standard | tar --null -cf - -T - 2>/dev/null | tar -xf - -C "$HOIST_RUN/p8/main"
  cp -rL "$(dirname "$HOIST_ROOT")/shared/choria" "$HOIST_RUN/p8/shared/"
  specs8() {
    local rc
    hoist_in_root "$root8" sh -c 'cd "$1" && rspec' _ "$HOIST_RUN/p8/main" 2>&1 | grep -v -e '^WARN: ' -e '^ *rake (' -e '^ *- 13\.' \
      -e 'Available/installed versions of this gem' -e 'Please report a bug if this causes problems' | quote rspec8
    rc=${PIPESTATUS[0]}
    return "$rc"
  }
  # Its own process group (job control on for this one job), so that a stage stopped early stops
  # the chrooted rspec with it: hoist_before_stop signals the group, by its leader's pid.
  set -m
  specs8 > "$HOIST_RUN/rspec8.out" 2>&1 &
  p8_pid=$!
  set +m
fi
hoist_before_stop() { [ -z "$p8_pid" ] || kill -TERM -- "-$p8_pid" 2>/dev/null || true; }

check "rake validate (puppet parser validate, templates, Hiera data)" rake_validate
check "rake lint (puppet-lint, warnings fail)" rake_lint
check "metadata.json parses" metadata
check "the Choria machine schema is there" schema_present
step "rspec-puppet (rake spec)"
if specs; then ok "rspec-puppet (rake spec)"; else not_ok "rspec-puppet (rake spec; its failures are above)"; fi
check "REFERENCE.md is current" reference_current
key_table_current() {
  SAW=$("$HOIST_ROOT/harness/tools/contract.py" table 2>&1)
}
check "docs/spec.md's container key table is the schema's" key_table_current
types_current() {
  SAW=$("$HOIST_ROOT/harness/tools/contract.py" types 2>&1)
}
check "the Puppet types of the container keys (types/*.pp) are what the schema generates" types_current

step "rspec-puppet on Puppet 8 and stdlib 9 (Debian 13 root)"
if [ -n "$p8_pid" ]; then
  note "$(hoist_root_versions "$root8")"
  wait "$p8_pid" && rc8=0 || rc8=$?
  cat "$HOIST_RUN/rspec8.out"
  if [ "$rc8" -eq 0 ]; then ok "rspec-puppet on Puppet 8, stdlib 9"; else not_ok "rspec-puppet on Puppet 8, stdlib 9 (its failures are above)"; fi
else
  not_ok "no Debian 13 root with Puppet 8 (see the debootstrap log above)"
fi
note "Puppet 8 specs: $((SECONDS - t)) s from the stage's start (beside Puppet 7's)"

summary
[ "$failed" -eq 0 ]
