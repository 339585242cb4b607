# shellcheck shell=bash
# harness/lib/puppet.sh: `puppet apply` of `include hoist` as a node runs it, in a run folder.
# Needs harness/lib/common.sh (HOIST_ROOT, HOIST_RUN, hoist_log); only defines functions.
#
#   hoist_puppet_setup [release]
#                        $HOIST_RUN/puppet: a modulepath with this module (manifests, types,
#                        functions, data, hiera.yaml, metadata.json and the launcher
#                        files/hoist-cli; the jar comes from hoist::jar_source, not files/),
#                        Debian's puppetlabs-stdlib, and a hiera.yaml reading
#                        $HOIST_RUN/puppet/hieradata/hoist.yaml. With `release`, the module is
#                        the release tarball (hoist_release_tarball) installed as a user installs
#                        it, `puppet module install --ignore-dependencies`, its jar in files/
#                        (HOIST_MODULE_DIR names the installed module)
#   hoist_release_tarball
#                        the path of this checkout's release tarball: $HOIST_RELEASE_TARBALL when
#                        test.sh built it for the run, else harness/release.sh (which reuses
#                        target/release/ for a clean checkout already built)
#   hoist_puppet8_root   the cached Debian 13 root with Puppet 8, stdlib 9 and rspec-puppet
#                        (hoist_debian_root; about a minute the first time)
#   hoist_in_root ROOT COMMAND...
#                        COMMAND chrooted into ROOT, read-only, the host's /tmp inside, a bare
#                        environment (PATH, HOME=/tmp, LANG)
#   hoist_in_node ROOT DIR COMMAND...
#                        the same in a writable node: ROOT under an overlay whose changes go to
#                        DIR (ROOT itself is never written), with Debian's package cache and lists
#                        kept in the Hoist cache, so that a package is downloaded once
#   hoist_root_versions ROOT
#                        one line: the versions of Puppet, Facter, Ruby, stdlib and rspec-puppet
#   hoist_puppet_apply NAME
#                        puppet apply -e 'include hoist', log $HOIST_RUN/puppet/NAME.log;
#                        returns puppet's --detailed-exitcodes status (0 no change, 2 changes,
#                        1, 4 or 6 failures)

hoist_puppet_setup() {
    local p="$HOIST_RUN/puppet" stdlib f tarball out
    command -v puppet >/dev/null || { hoist_log "ERROR: puppet is not installed (see harness/lib/packages.txt)"; return 1; }
    stdlib=$(hoist_stdlib_dir) || { hoist_log "ERROR: puppet-module-puppetlabs-stdlib is not installed"; return 1; }
    mkdir -p "$p/modules" "$p/hieradata" "$p/var" "$p/conf" "$p/code"
    ln -sfn "$stdlib" "$p/modules/stdlib"
    HOIST_MODULE_DIR=$p/modules/hoist
    if [ "${1:-}" = release ]; then
        tarball=$(hoist_release_tarball) || return 1
        HOIST_RELEASE_TARBALL=$tarball
        export HOIST_RELEASE_TARBALL
        out=$(puppet module install --ignore-dependencies --target-dir "$p/modules" "$tarball" --color false 2>&1) || {
            hoist_log "ERROR: puppet module install $tarball failed: $out"
            return 1
        }
        [ -f "$HOIST_MODULE_DIR/files/hoist-cli.jar" ] || { hoist_log "ERROR: no files/hoist-cli.jar in the installed module"; return 1; }
        hoist_log "module installed from ${tarball##*/} (puppet module install --ignore-dependencies)"
    else
        mkdir -p "$HOIST_MODULE_DIR/files"
        for f in manifests types functions templates data hiera.yaml metadata.json; do
            [[ -e "$HOIST_ROOT/$f" ]] && cp -r "$HOIST_ROOT/$f" "$HOIST_MODULE_DIR/"
        done
        # The launcher only: the jar comes from hoist::jar_source, not from the module's files/.
        cp "$HOIST_ROOT/files/hoist-cli" "$HOIST_MODULE_DIR/files/hoist-cli"
    fi
    export HOIST_MODULE_DIR
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

# Debian's puppetlabs-stdlib: the folder of its shortest metadata.json (ROOT: in that root).
hoist_stdlib_dir() {
    local root=${1:-} metadata
    if [ -n "$root" ]; then
        metadata=$(chroot "$root" dpkg -L puppet-module-puppetlabs-stdlib 2>/dev/null | grep '/metadata.json$')
    else
        metadata=$(dpkg -L puppet-module-puppetlabs-stdlib 2>/dev/null | grep '/metadata.json$')
    fi
    metadata=$(awk '{ print length, $0 }' <<<"$metadata" | sort -n | head -1 | cut -d' ' -f2-)
    [ -n "$metadata" ] && dirname "$metadata"
}

hoist_release_tarball() {
    if [ -n "${HOIST_RELEASE_TARBALL:-}" ] && [ -f "$HOIST_RELEASE_TARBALL" ]; then
        echo "$HOIST_RELEASE_TARBALL"
        return 0
    fi
    local out
    out=$(bash "$HOIST_ROOT/harness/release.sh") && out=$(head -n 1 <<<"$out") && [ -f "$out" ] ||
        { hoist_log "ERROR: harness/release.sh built no tarball"; return 1; }
    echo "$out"
}

# Debian 13's Puppet 8 (puppet-agent), Facter 4, stdlib 9 and rspec-puppet 4, and what the specs'
# tools (harness/tools/*.py) need.
HOIST_PUPPET8_PACKAGES=(puppet-agent ruby-rspec-puppet ruby-puppetlabs-spec-helper puppet-module-puppetlabs-stdlib
    python3 python3-yaml python3-jsonschema)
hoist_puppet8_root() { hoist_debian_root trixie "${HOIST_PUPPET8_PACKAGES[@]}"; }

hoist_in_root() {
    local root=$1
    shift
    unshare --mount --propagation private bash -c 'source "$1"; shift; hoist_chroot_exec "$@"' _ \
        "$HOIST_ROOT/harness/lib/engines.sh" "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 "$@"
}

hoist_in_node() {
    local root=$1 dir=$2 apt
    shift 2
    apt=$(hoist_cache_dir)/apt-$(basename "$root")
    mkdir -p "$dir/upper" "$dir/work" "$dir/root" "$apt/archives/partial" "$apt/lists/partial"
    unshare --mount --propagation private bash -c '
        set -e
        root=$1 dir=$2 apt=$3
        shift 3
        mount -t overlay overlay -o "lowerdir=$root,upperdir=$dir/upper,workdir=$dir/work" "$dir/root"
        n=$dir/root
        mount -t proc proc "$n/proc"
        mount --rbind /sys "$n/sys"; mount --make-rprivate "$n/sys"
        mount --rbind /dev "$n/dev"; mount --make-rprivate "$n/dev"
        mount --bind /tmp "$n/tmp"
        mount -t tmpfs -o mode=755 tmpfs "$n/run"
        mount --bind "$apt/archives" "$n/var/cache/apt/archives"
        mount --bind "$apt/lists" "$n/var/lib/apt/lists"
        exec chroot "$n" "$@"' _ "$root" "$dir" "$apt" \
        /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

hoist_root_versions() {
    local root=$1 stdlib
    stdlib=$(hoist_stdlib_dir "$root")
    printf 'Debian %s: puppet %s, facter %s, %s, stdlib %s, rspec-puppet %s\n' "$(cat "$root/etc/debian_version")" \
        "$(hoist_in_root "$root" puppet --version)" "$(hoist_in_root "$root" facter --version)" \
        "$(hoist_in_root "$root" ruby -e 'print "ruby #{RUBY_VERSION}"')" \
        "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["version"])' "$root$stdlib/metadata.json")" \
        "$(chroot "$root" dpkg-query -W -f='${Version}' ruby-rspec-puppet)"
}
