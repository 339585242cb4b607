"""Tests of harness/tools/links.py: GitHub's anchors, what counts as a link, and the verdicts."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import links  # noqa: E402


class Slug(unittest.TestCase):
    def test_github_anchors(self):
        cases = {
            "Watching Hoist": "watching-hoist",
            "From puppetlabs-docker's `docker::run`": "from-puppetlabs-dockers-dockerrun",
            "Health, rollback and rolling updates": "health-rollback-and-rolling-updates",
            "<a name=\"hoist\"></a>`hoist`": "hoist",
            "hoist::container_machine": "hoistcontainer_machine",
            "0.2.0 (2026-12-01)": "020-2026-12-01",
            "A [link](elsewhere.md) in a heading": "a-link-in-a-heading",
            "**Bold** and *em*": "bold-and-em",
            "Two  spaces": "two--spaces",
            "Ünïcode stays": "ünïcode-stays",
        }
        for heading, want in cases.items():
            self.assertEqual(links.slug(heading), want, heading)

    def test_duplicates_get_a_number(self):
        text = "# Usage\n\n## Options\n\ntext\n\n## Options\n\n## Options\n"
        self.assertEqual(links.anchors(text), {"usage", "options", "options-1", "options-2"})

    def test_headings_in_code_blocks_are_not_anchors(self):
        text = "# Real\n\n```\n# cd /tmp && run\n```\n\n    # indented code\n"
        self.assertEqual(links.anchors(text), {"real"})

    def test_setext_headings_and_explicit_names(self):
        text = "Title\n=====\n\nSub\n---\n\n<a name=\"x_y\"></a>\n<span id=\"z\"></span>\n"
        self.assertEqual(links.anchors(text), {"title", "sub", "x_y", "z"})


class Targets(unittest.TestCase):
    def test_inline_reference_and_html_links(self):
        line = 'see [a](a.md#x) and [b](<b c.md> "title") and <a href="d.md">d</a>'
        self.assertEqual(links.link_targets(line), ["a.md#x", "b c.md", "d.md"])
        self.assertEqual(links.link_targets("[ref]: docs/spec.md#keys"), ["docs/spec.md#keys"])

    def test_parentheses_in_a_target(self):
        self.assertEqual(links.link_targets("[w](https://x.org/a_(b))"), ["https://x.org/a_(b)"])

    def test_code_spans_hide_links(self):
        self.assertEqual(links.link_targets(links.strip_code_spans("`[x](nowhere.md)` and ``[y](z)``")), [])
        self.assertEqual(links.link_targets(links.strip_code_spans("`a` [x](there.md) `b`")), ["there.md"])


class Verdicts(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp()
        os.makedirs(os.path.join(self.root, "docs"))
        self.write("docs/spec.md", "# The container spec\n\n## Keys\n\n## Keys\n")
        self.write("schema.json", "{}")

    def tearDown(self):
        shutil.rmtree(self.root)

    def write(self, rel, text):
        with open(os.path.join(self.root, rel), "w", encoding="utf-8") as f:
            f.write(text)
        return os.path.join(self.root, rel)

    def broken(self, text, rel="README.md"):
        path = self.write(rel, text)
        return [(n, t) for n, t, _ in links.Checker(self.root).check_file(path)]

    def test_links_that_lead_somewhere_pass(self):
        text = "\n".join([
            "# Hoist",
            "[spec](docs/spec.md), [keys](docs/spec.md#keys), [again](docs/spec.md#keys-1),",
            "[here](#hoist), [folder](docs/), [schema](schema.json), [web](https://choria.io/x#y),",
            "[mail](mailto:a@example.com), [abs](/docs/spec.md#the-container-spec)",
            "```",
            "[in a fence](nowhere.md)",
            "```",
        ])
        self.assertEqual(self.broken(text), [])

    def test_relative_to_the_files_own_folder(self):
        self.write("README.md", "# Hoist\n")
        self.assertEqual(self.broken("# Other\n[up](../README.md#hoist) [self](#other) [sib](spec.md#keys)", "docs/other.md"), [])
        self.assertEqual(self.broken("[wrong](docs/spec.md)", "docs/other.md"), [(1, "docs/spec.md")])

    def test_broken_files_and_anchors_fail(self):
        text = "# Hoist\n[a](docs/missing.md)\n[b](docs/spec.md#nope)\n[c](#nowhere)\n[d](docs/spec.md#keys-2)\n"
        self.assertEqual(self.broken(text), [(2, "docs/missing.md"), (3, "docs/spec.md#nope"), (4, "#nowhere"), (5, "docs/spec.md#keys-2")])

    def test_outside_the_repository_fails(self):
        outside = tempfile.NamedTemporaryFile(suffix=".md", delete=False)
        outside.close()
        try:
            rel = os.path.relpath(outside.name, self.root)
            path = self.write("README.md", "[x](%s)\n" % rel)
            (_, _, why), = links.Checker(self.root).check_file(path)
            self.assertIn("outside the repository", why)
        finally:
            os.unlink(outside.name)

    def test_the_command_exits_1_and_names_file_and_line(self):
        self.write("README.md", "# R\n\nfine [s](docs/spec.md)\nbad [x](#gone)\n")
        r = subprocess.run([sys.executable, os.path.join(HERE, "links.py"), self.root], capture_output=True, text=True)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("README.md:4: #gone: no anchor #gone in README.md", r.stdout)
        os.remove(os.path.join(self.root, "README.md"))
        r = subprocess.run([sys.executable, os.path.join(HERE, "links.py"), self.root], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn("1 Markdown files, 0 broken links", r.stdout)


if __name__ == "__main__":
    unittest.main()
