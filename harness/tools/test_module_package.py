"""Tests of module-package.py (the release package), held against Puppet's own tools (puppet-module.rb)."""
import contextlib
import gzip
import hashlib
import importlib.util
import io
import os
import subprocess
import tarfile
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("module_package", os.path.join(HERE, "module-package.py"))
mp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mp)

PMTIGNORE = "# comment\n/spec/\n/pom.xml\n/files/*.jsa\n/.*\n"
# Files of a module folder with the cases Puppet's builder decides: .pmtignore lines, its artifacts
# (top-level pkg/, checksums.json, names starting with . or ~), a dotfile below the top (packaged, not
# checksummed), and names that sort differently as paths and as Find walks them (a/ and a-b).
TREE = {
    "metadata.json": '{"name": "acme-thing", "version": "1.2.3"}',
    ".pmtignore": PMTIGNORE,
    ".gitignore": "target/\n",
    "README.md": "read me",
    "manifests/init.pp": "class thing {}",
    "manifests/.hidden.pp": "# a dotfile below the top",
    "manifests/a/x.pp": "x",
    "manifests/a-b.pp": "ab",
    "files/tool": "#!/bin/sh\n",
    "files/tool.jar": "jar",
    "files/tool.jsa": "archive",
    "spec/x_spec.rb": "spec",
    "pom.xml": "<project/>",
    "pkg/old.tar.gz": "old",
    "checksums.json": "{}",
    "~backup": "b",
    "REVISION": "r",
}
PACKAGED = ["README.md", "files/tool", "files/tool.jar", "manifests/.hidden.pp", "manifests/a/x.pp", "manifests/a-b.pp",
            "manifests/init.pp", "metadata.json"]


def make_tree(root, tree=TREE):
    for rel, text in tree.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    os.chmod(os.path.join(root, "files/tool"), 0o755)


def ruby(command, folder):
    """puppet-module.rb's answer (Puppet's and the pathspec gem's)."""
    return subprocess.run(["ruby", os.path.join(HERE, "puppet-module.rb"), command, folder],
                          check=True, capture_output=True, text=True).stdout


class Selection(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        make_tree(self.root)

    def tearDown(self):
        self.tmp.cleanup()

    def test_pmtignore_and_puppets_artifacts_decide_in_find_order(self):
        self.assertEqual(mp.module_files(self.root), PACKAGED)

    def test_the_same_files_as_puppets_builder_with_the_pathspec_gem(self):
        self.assertEqual(ruby("pmt-files", self.root).splitlines(), PACKAGED)

    def test_pdk_3_3s_allowlist_takes_the_same_files_here(self):
        # Everything of this module is in the Forge layout; spec/, pom.xml, files/tool.jsa and pkg/ are not
        # what modulebuilder 2 leaves out by name, so only the files .pmtignore also keeps may be compared.
        pdk = ruby("pdk-files", self.root).splitlines()
        self.assertEqual([f for f in pdk if f != "files/tool.jsa"], PACKAGED)
        self.assertIn("files/tool.jsa", pdk)  # why .pmtignore's /files/*.jsa matters only to the old readers

    def test_refuses_pattern_forms_it_does_not_read_like_pathspec(self):
        for line in ["spec/", "!/files/", "/files/**", "/a?", "/[ab]", "/", "/a//b", "/../x"]:
            with self.subTest(line=line), self.assertRaises(mp.Refused):
                mp.ignore_patterns(line)
        self.assertEqual(len(mp.ignore_patterns(PMTIGNORE)), 4)

    def test_a_symbolic_link_is_refused_as_puppet_refuses_it(self):
        os.symlink("init.pp", os.path.join(self.root, "manifests/link.pp"))
        with self.assertRaises(mp.Refused):
            mp.module_files(self.root)

    def test_release_name_is_name_and_version_of_metadata(self):
        self.assertEqual(mp.release_name(self.root), "acme-thing-1.2.3")
        for meta in ['{"name": "thing", "version": "1.2.3"}', '{"name": "acme-thing", "version": "1.2"}', '{"name": "acme-thing"}']:
            with open(os.path.join(self.root, "metadata.json"), "w") as f:
                f.write(meta)
            with self.subTest(meta=meta), self.assertRaises(mp.Refused):
                mp.release_name(self.root)


class Checksums(unittest.TestCase):
    def test_md5_by_path_in_find_order_pretty_printed_without_artifacts(self):
        contents = {"b.pp": b"b", "a/x": b"x", "a-b": b"ab", "a/.keep": b"", "pkg/x": b"p"}
        md5 = lambda b: hashlib.md5(b).hexdigest()
        self.assertEqual(mp.checksums(contents),
                         '{\n  "a/x": "%s",\n  "a-b": "%s",\n  "b.pp": "%s"\n}' % (md5(b"x"), md5(b"ab"), md5(b"b")))

    def test_the_same_text_as_puppets_checksums_class(self):
        with tempfile.TemporaryDirectory() as root:
            make_tree(root)
            contents = {}
            for rel in TREE:
                if rel != "checksums.json":
                    with open(os.path.join(root, rel), "rb") as f:
                        contents[rel] = f.read()
            self.assertEqual(mp.checksums(contents), ruby("checksums", root))


class Package(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "src")
        make_tree(self.root)
        self.out = os.path.join(self.tmp.name, "out")

    def tearDown(self):
        self.tmp.cleanup()

    def members(self, path):
        with tarfile.open(path, "r:gz") as tar:
            return [(m.name, m.type, m.mode, m.mtime, m.uid, m.gid, m.uname, m.gname) for m in tar.getmembers()]

    def test_one_top_folder_entries_in_find_order_fixed_owner_modes_and_times(self):
        path, names = mp.build(self.root, self.out, 1700000000)
        self.assertEqual(os.path.basename(path), "acme-thing-1.2.3.tar.gz")
        top = "acme-thing-1.2.3/"
        self.assertEqual(names, [top] + [top + n for n in [
            "README.md", "checksums.json", "files/", "files/tool", "files/tool.jar", "manifests/", "manifests/.hidden.pp",
            "manifests/a/", "manifests/a/x.pp", "manifests/a-b.pp", "manifests/init.pp", "metadata.json"]])
        members = self.members(path)
        self.assertEqual([m[0] + ("/" if m[1] == tarfile.DIRTYPE else "") for m in members], names)
        self.assertEqual({m[3:] for m in members}, {(1700000000, 0, 0, "root", "root")})
        modes = {m[0]: m[2] for m in members}
        self.assertEqual(modes[top + "files/tool"], 0o755)
        self.assertEqual(modes[top + "files/tool.jar"], 0o644)
        self.assertEqual(modes[top + "manifests"], 0o755)
        with open(path, "rb") as f:
            header = f.read(10)
        self.assertEqual(header[4:8], b"\0\0\0\0", "gzip header without a time")

    def test_two_builds_are_byte_identical(self):
        first, _ = mp.build(self.root, self.out, 1700000000)
        with open(first, "rb") as f:
            one = f.read()
        os.utime(os.path.join(self.root, "README.md"), (1, 1))
        second, _ = mp.build(self.root, self.out, 1700000000)
        with open(second, "rb") as f:
            self.assertEqual(f.read(), one)

    def test_verify_passes_a_good_package_and_names_what_is_wrong(self):
        path, _ = mp.build(self.root, self.out, 1700000000)
        expected = PACKAGED + ["checksums.json"]
        self.assertEqual([ok for ok, _ in mp.verify(path, expected)], [True, True, True, True])
        results = mp.verify(path, [f for f in expected if f != "README.md"] + ["LICENSE"])
        self.assertFalse(results[2][0])
        self.assertIn("unexpected: README.md", results[2][1])
        self.assertIn("missing: LICENSE", results[2][1])

    def test_verify_finds_a_file_changed_after_its_checksum_and_a_wrong_name(self):
        path, _ = mp.build(self.root, self.out, 1700000000)
        raw = io.BytesIO()
        with tarfile.open(path, "r:gz") as src, tarfile.open(fileobj=raw, mode="w") as dst:
            for m in src.getmembers():
                data = src.extractfile(m).read() if m.isfile() else None
                if m.name.endswith("manifests/init.pp"):
                    data = b"class thing { notify { 'changed': } }"
                    m.size = len(data)
                dst.addfile(m, io.BytesIO(data) if data is not None else None)
        bad = os.path.join(self.out, "acme-thing-1.2.4.tar.gz")
        with gzip.open(bad, "wb") as f:
            f.write(raw.getvalue())
        results = mp.verify(bad, PACKAGED + ["checksums.json"])
        self.assertFalse(results[1][0], results[1][1])
        self.assertFalse(results[3][0])
        self.assertIn("differs for: manifests/init.pp", results[3][1])

    def test_main_build_prints_the_path_then_the_entries(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(mp.main(["build", self.root, self.out, "1700000000"]), 0)
        lines = out.getvalue().splitlines()
        self.assertEqual(lines[0], os.path.join(self.out, "acme-thing-1.2.3.tar.gz"))
        self.assertEqual(lines[1:], mp.build(self.root, self.out, 1700000000)[1])


class PomVersion(unittest.TestCase):
    """The Maven coordinates name metadata.json's version: the parent pom's and hoist-cli's <parent>."""

    @staticmethod
    def versions():
        import json
        import xml.etree.ElementTree as ET
        repo = os.path.dirname(os.path.dirname(HERE))
        ns = {"m": "http://maven.apache.org/POM/4.0.0"}
        with open(os.path.join(repo, "metadata.json"), encoding="utf-8") as f:
            metadata = json.load(f)["version"]
        parent = ET.parse(os.path.join(repo, "pom.xml")).getroot().find("m:version", ns).text
        child = ET.parse(os.path.join(repo, "hoist-cli", "pom.xml")).getroot().find("m:parent/m:version", ns).text
        return metadata, parent, child

    def test_the_poms_version_is_metadata_jsons(self):
        metadata, parent, child = self.versions()
        self.assertRegex(metadata, r"^[0-9]+\.[0-9]+\.[0-9]+")
        self.assertEqual(parent, metadata, "pom.xml's <version> is not metadata.json's version")
        self.assertEqual(child, metadata, "hoist-cli/pom.xml's <parent><version> is not metadata.json's version")


if __name__ == "__main__":
    unittest.main()
