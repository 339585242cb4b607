# shellcheck shell=bash
# harness/lib/puppet.sh: `puppet apply` of `include hoist` as a node runs it, in a run folder.
# Needs harness/lib/common.sh (HOIST_ROOT, HOIST_RUN, hoist_log); only defines functions.
#
#   hoist_puppet_setup   $HOIST_RUN/puppet: a modulepath with this module (manifests, types,
#                        functions, data, hiera.yaml, metadata.json and the launcher
#                        files/hoist-cli; the jar comes from hoist::jar_source, not files/),
#                        Debian's puppetlabs-stdlib, and a hiera.yaml reading
#                        $HOIST_RUN/puppet/hieradata/hoist.yaml
#   hoist_puppet_apply NAME
#                        puppet apply -e 'include hoist', log $HOIST_RUN/puppet/NAME.log;
#                        returns puppet's --detailed-exitcodes status (0 no change, 2 changes,
#                        1, 4 or 6 failures)

hoist_puppet_setup() {
    local p="$HOIST_RUN/puppet" stdlib f
    command -v puppet >/dev/null || { hoist_log "ERROR: puppet is not installed (see harness/lib/packages.txt)"; return 1; }
    stdlib=$(dpkg -L puppet-module-puppetlabs-stdlib 2>/dev/null | grep '/metadata.json$' |
        awk '{ print length, $0 }' | sort -n | head -1 | cut -d' ' -f2-)
    [[ -n "$stdlib" ]] || { hoist_log "ERROR: puppet-module-puppetlabs-stdlib is not installed"; return 1; }
    mkdir -p "$p/modules/hoist/files" "$p/hieradata" "$p/var" "$p/conf" "$p/code"
    ln -sfn "$(dirname "$stdlib")" "$p/modules/stdlib"
    for f in manifests types functions templates data hiera.yaml metadata.json; do
        [[ -e "$HOIST_ROOT/$f" ]] && cp -r "$HOIST_ROOT/$f" "$p/modules/hoist/"
    done
    # The launcher only: the jar comes from hoist::jar_source, not from the module's files/.
    cp "$HOIST_ROOT/files/hoist-cli" "$p/modules/hoist/files/hoist-cli"
    cat >"$p/hiera.yaml" <<YAML
---
version: 5
defaults:
  datadir: $p/hieradata
  data_hash: yaml_data
hierarchy:
  - name: hoist
    path: hoist.yaml
YAML
}

hoist_puppet_apply() {
    local p="$HOIST_RUN/puppet" log="$HOIST_RUN/puppet/$1.log" rc
    puppet apply --detailed-exitcodes --color=false \
        --modulepath "$p/modules" --hiera_config "$p/hiera.yaml" \
        --vardir "$p/var" --confdir "$p/conf" --codedir "$p/code" --logdir "$p/var/log" --rundir "$p/var/run" \
        -e 'include hoist' >"$log" 2>&1 && rc=0 || rc=$?
    # Facter cannot read /proc/1/environ in some sandboxes; that noise is not ours.
    grep -v 'Facter: Permission denied' "$log" >"$log.clean" || true
    mv "$log.clean" "$log"
    return "$rc"
}
