#!/usr/bin/env python3
"""harness/tools/module-package.py: the Forge module package of a Puppet module, as `puppet module build` makes it.

  module-package.py release-name ROOT        print NAME-VERSION from ROOT/metadata.json ("hoistproject-hoist-0.1.0")
  module-package.py files ROOT               print the files the package takes from ROOT, one per line
  module-package.py build ROOT OUTDIR MTIME  write OUTDIR/NAME-VERSION.tar.gz; print its path, then its entries
  module-package.py list TARBALL             print a package's entries, one per line (folders end in /)
  module-package.py checksums DIR            print checksums.json for the module unpacked in DIR
  module-package.py verify TARBALL EXPECTED  check a package against the list of files in EXPECTED (- is stdin)

Which files: those `puppet module build` took (Puppet 5's builder, which PDK's puppet-modulebuilder 1.x
follows): every file of ROOT except what ROOT/.pmtignore names and Puppet's artifacts (a top-level
`pkg`, `coverage`, `checksums.json` or `REVISION`, and top-level names starting with `.`, `~` or `#`).
.pmtignore is read as gitignore patterns anchored at ROOT, of the forms `/NAME`, `/NAME/` and
`/DIR/GLOB` (`*` within one name); any other form is refused, not guessed at: the release stage
checks this reading against Ruby's pathspec gem, the library the builder uses.

checksums.json is what the builder wrote (Puppet::ModuleTool::Checksums): the MD5 (hex) of every file
of the package by its path inside the module folder, in Ruby's Find order (depth first, names sorted),
skipping any file or folder whose name is one of the artifacts above; pretty-printed JSON (two-space
indent, no newline at the end), itself not listed.

The tarball is deterministic: one top folder NAME-VERSION/, entries in Find order (folders before
their contents), ustar format, owner and group 0 (root), modes 0755 for folders and executables and
0644 for other files, every mtime MTIME (seconds since the epoch), gzip without a name or time. Two
builds of the same files are byte-identical.

verify checks: the file name is NAME-VERSION.tar.gz with the tarball's own metadata.json; every entry
is a plain file or folder under NAME-VERSION/; the files are exactly EXPECTED's (unexpected and missing
ones are listed); checksums.json matches the contents. It prints `ok`/`not ok` lines and exits 1 on
any `not ok`.
"""
import gzip
import hashlib
import io
import json
import os
import re
import stat
import sys
import tarfile

ARTIFACT_NAMES = {"pkg", "coverage", "checksums.json", "REVISION"}
NAME = re.compile(r"^[a-zA-Z0-9]+-[a-z][a-z0-9_]*$")
VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


class Refused(Exception):
    pass


def artifact(name):
    """Puppet::ModuleTool.artifact?: a name that is never packaged nor checksummed."""
    return name in ARTIFACT_NAMES or name[:1] in (".", "~", "#")


def release_name(root):
    with open(os.path.join(root, "metadata.json"), encoding="utf-8") as f:
        meta = json.load(f)
    name, version = meta.get("name"), meta.get("version")
    if not isinstance(name, str) or not NAME.match(name):
        raise Refused("metadata.json: name %r is not OWNER-MODULE" % (name,))
    if not isinstance(version, str) or not VERSION.match(version):
        raise Refused("metadata.json: version %r is not a semantic version" % (version,))
    return "%s-%s" % (name, version)


def ignore_patterns(text):
    """Regexes for .pmtignore lines, as Ruby's pathspec (GitIgnoreSpec) builds them for these forms."""
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        body = line[1:-1] if line.endswith("/") else line[1:]
        if not line.startswith("/") or not body or re.search(r"[!?\[\]\\]|\*\*|//", line) or any(s in ("", ".", "..") for s in body.split("/")):
            raise Refused(".pmtignore line %d: %r is not /NAME, /NAME/ or /DIR/GLOB" % (number, raw))
        rx = "/".join("[^/]*".join(re.escape(p) for p in seg.split("*")) for seg in body.split("/"))
        out.append(re.compile("^" + rx + ("/.*$" if line.endswith("/") else "(?:/.*)?$")))
    return out


def ignored(rel, is_dir, patterns):
    path = rel + "/" if is_dir else rel
    return any(p.match(path) for p in patterns)


def walk(root, prune):
    """Ruby's Find.find below ROOT: depth first, names sorted; PRUNE(rel, is_dir) skips a path and what is under it."""
    stack = [""]
    while stack:
        rel = stack.pop()
        full = os.path.join(root, rel) if rel else root
        if rel:
            is_dir = os.path.isdir(full) and not os.path.islink(full)
            if prune(rel, is_dir):
                continue
            yield rel, is_dir
            if not is_dir:
                continue
        stack.extend(os.path.join(rel, n) if rel else n for n in sorted(os.listdir(full), reverse=True))


def module_files(root):
    """The files (not folders) the package takes from ROOT, in Find order."""
    path = os.path.join(root, ".pmtignore")
    patterns = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            patterns = ignore_patterns(f.read())
    files = []
    for rel, is_dir in walk(root, lambda r, d: ("/" not in r and artifact(r)) or ignored(r, d, patterns)):
        full = os.path.join(root, rel)
        if os.path.islink(full):
            raise Refused("%s is a symbolic link: Puppet refuses symlinks in modules" % rel)
        if not is_dir:
            files.append(rel)
    return files


def checksums(contents):
    """checksums.json's text for CONTENTS ({path: bytes}, path relative to the module folder)."""
    tree = {}
    for rel in contents:
        node = tree
        parts = rel.split("/")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = rel

    sums = {}

    def visit(node):
        for name in sorted(node):
            if artifact(name):
                continue
            if isinstance(node[name], dict):
                visit(node[name])
            else:
                sums[node[name]] = hashlib.md5(contents[node[name]]).hexdigest()

    visit(tree)
    return json.dumps(sums, indent=2, separators=(",", ": "))


def find_order(paths):
    """PATHS (files, relative) with their folders, in Find order: [(path, is_dir)]."""
    dirs = set()
    for p in paths:
        parts = p.split("/")
        for i in range(1, len(parts)):
            dirs.add("/".join(parts[:i]))
    entries = [(p, False) for p in paths] + [(d, True) for d in dirs]
    return sorted(entries, key=lambda e: e[0].split("/"))


def build(root, outdir, mtime, extra=None):
    """Writes OUTDIR/NAME-VERSION.tar.gz; returns (path, [entry names])."""
    top = release_name(root)
    contents, modes = {}, {}
    for rel in module_files(root):
        full = os.path.join(root, rel)
        with open(full, "rb") as f:
            contents[rel] = f.read()
        modes[rel] = 0o755 if os.stat(full).st_mode & stat.S_IXUSR else 0o644
    contents["checksums.json"] = checksums(contents).encode("utf-8")
    modes["checksums.json"] = 0o644

    raw = io.BytesIO()
    names = []
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        def add(name, is_dir, data=b"", mode=0o755):
            info = tarfile.TarInfo(name)
            info.type = tarfile.DIRTYPE if is_dir else tarfile.REGTYPE
            info.mode = 0o755 if is_dir else mode
            info.mtime = mtime
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            info.size = 0 if is_dir else len(data)
            tar.addfile(info, None if is_dir else io.BytesIO(data))
            names.append(name + ("/" if is_dir else ""))

        add(top, True)
        for rel, is_dir in find_order(list(contents)):
            add(top + "/" + rel, is_dir, contents.get(rel, b""), modes.get(rel, 0o755))
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, top + ".tar.gz")
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, compresslevel=9, mtime=0) as gz:
            gz.write(raw.getvalue())
    os.replace(tmp, path)
    return path, names


def read_package(tarball):
    """({file path inside the top folder: bytes}, top folder, [problems]) of a package."""
    problems, files, tops = [], {}, set()
    with tarfile.open(tarball, "r:gz") as tar:
        for m in tar.getmembers():
            parts = m.name.rstrip("/").split("/")
            tops.add(parts[0])
            if m.name.startswith("/") or ".." in parts:
                problems.append("entry %s leaves the top folder" % m.name)
            elif not (m.isfile() or m.isdir()):
                problems.append("entry %s is neither a file nor a folder" % m.name)
            elif m.isfile():
                if len(parts) < 2:
                    problems.append("file %s is outside the top folder" % m.name)
                else:
                    files["/".join(parts[1:])] = tar.extractfile(m).read()
    if len(tops) != 1:
        problems.append("not one top folder: %s" % ", ".join(sorted(tops)))
    return files, (sorted(tops)[0] if tops else ""), problems


def verify(tarball, expected):
    """[(ok, text)] for the checks on TARBALL against the EXPECTED file list."""
    results = []
    files, top, problems = read_package(tarball)
    results.append((not problems, "the entries are plain files and folders in one top folder %s/" % top
                    + "".join("; " + p for p in problems)))
    try:
        meta = json.loads(files.get("metadata.json", b"null"))
        name = "%s-%s" % (meta["name"], meta["version"])
    except (ValueError, TypeError, KeyError) as e:
        name = "(no readable metadata.json: %s)" % e
    results.append((os.path.basename(tarball) == name + ".tar.gz" and top == name,
                    "the file name %s and the top folder %s/ are NAME-VERSION from its metadata.json: %s"
                    % (os.path.basename(tarball), top, name)))
    unexpected = sorted(set(files) - set(expected))
    missing = sorted(set(expected) - set(files))
    results.append((not unexpected and not missing, "it holds exactly the %d expected files%s%s" % (
        len(expected), "; unexpected: " + ", ".join(unexpected) if unexpected else "",
        "; missing: " + ", ".join(missing) if missing else "")))
    others = {k: v for k, v in files.items() if k != "checksums.json"}
    want = checksums(others)
    got = files.get("checksums.json", b"").decode("utf-8", "replace")
    if got == want:
        results.append((True, "checksums.json lists the MD5 of its %d other files, as Puppet writes it" % len(json.loads(want))))
    else:
        try:
            listed = json.loads(got)
            wrong = sorted(k for k in set(listed) | set(json.loads(want)) if listed.get(k) != json.loads(want).get(k))
            detail = "differs for: " + ", ".join(wrong) if wrong else "same sums, other layout"
        except ValueError:
            detail = "not JSON"
        results.append((False, "checksums.json matches the contents: " + detail))
    return results


def main(argv):
    try:
        if len(argv) == 2 and argv[0] == "release-name":
            print(release_name(argv[1]))
        elif len(argv) == 2 and argv[0] == "files":
            print("\n".join(module_files(argv[1])))
        elif len(argv) == 4 and argv[0] == "build":
            path, names = build(argv[1], argv[2], int(argv[3]))
            print(path)
            print("\n".join(names))
        elif len(argv) == 2 and argv[0] == "list":
            with tarfile.open(argv[1], "r:gz") as tar:
                print("\n".join(m.name + ("/" if m.isdir() else "") for m in tar.getmembers()))
        elif len(argv) == 2 and argv[0] == "checksums":
            root = argv[1]
            contents = {}
            for rel, is_dir in walk(root, lambda r, d: False):
                if not is_dir and rel != "checksums.json":
                    with open(os.path.join(root, rel), "rb") as f:
                        contents[rel] = f.read()
            print(checksums(contents), end="")
        elif len(argv) == 3 and argv[0] == "verify":
            text = sys.stdin.read() if argv[2] == "-" else open(argv[2], encoding="utf-8").read()
            results = verify(argv[1], [line for line in text.splitlines() if line])
            for good, line in results:
                print(("ok - " if good else "not ok - ") + line)
            return 0 if all(g for g, _ in results) else 1
        else:
            sys.stderr.write(__doc__)
            return 2
    except (Refused, OSError, ValueError, tarfile.TarError) as e:
        sys.stderr.write("module-package.py: %s\n" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
