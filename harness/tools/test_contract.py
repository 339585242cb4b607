"""Tests of harness/tools/contract.py: the schema's patterns as Python must read them, validating
container.json files and Hiera entries, the shared corpus judged by the schema, and the key table of docs/spec.md."""
import contextlib
import importlib.util
import io
import json
import os
import re
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("contract", os.path.join(HERE, "contract.py"))
contract = importlib.util.module_from_spec(spec)
spec.loader.exec_module(contract)


def run(*argv):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        rc = contract.main(list(argv))
    return rc, out.getvalue()


class Patterns(unittest.TestCase):
    def test_dollar_outside_a_class_is_the_end_of_the_string(self):
        self.assertEqual(contract.python_pattern("^a$"), r"^a\Z")
        self.assertEqual(contract.python_pattern("^(?!purge$)[a-z]+$"), r"^(?!purge\Z)[a-z]+\Z")

    def test_dollar_in_a_class_and_escaped_stays(self):
        self.assertEqual(contract.python_pattern("^[$]\\$$"), "^[$]\\$\\Z")
        self.assertEqual(contract.python_pattern("^[^]$]x$"), "^[^]$]x\\Z")
        self.assertEqual(contract.python_pattern("^[]$]x$"), "^[]$]x\\Z")

    def test_a_trailing_newline_no_longer_matches(self):
        self.assertIsNotNone(re.search("^10s$", "10s\n"), "Python's own $ lets it through")
        self.assertIsNone(re.search(contract.python_pattern("^10s$"), "10s\n"))

    def test_the_schema_writes_no_engine_dependent_class(self):
        # \d, \w, \s, \b and . mean different things in ECMA-262, Java, Ruby and Python.
        text = json.dumps(contract.load_schema())
        for pattern in re.findall(r'"pattern": "((?:[^"\\]|\\.)*)"', text):
            raw = json.loads('"%s"' % pattern)
            stripped = re.sub(r"\\.", "", raw)
            self.assertNotRegex(raw, r"(?<!\\)\\[dwsbDWSB]", raw)
            self.assertNotIn(".", re.sub(r"\[(?:\\.|[^\]\\])*\]", "", stripped), raw)
            self.assertTrue(raw.startswith("^") and raw.endswith("$"), raw)
            # An empty class, or `[^]`: ECMA-262 reads them unlike Java, Ruby and Python.
            self.assertNotRegex(raw, r"(?<!\\)\[\^?\]", raw)


class Validate(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.dir.cleanup()

    def write(self, name, doc):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(doc if isinstance(doc, str) else json.dumps(doc))
        return path

    def test_a_good_spec_and_the_java_fixture_validate(self):
        good = self.write("good.json", {"name": "web", "image": "example/web", "restart_governor": "G",
                                        "ports": ["[::ffff:1.2.3.4]:80:80/sctp"], "volumes": ["/a b:/c"]})
        full = os.path.join(contract.REPO, "hoist-cli", "src", "test", "resources", "specs", "full.json")
        self.assertEqual(run("validate", good, full), (0, ""))

    def test_a_bad_spec_names_the_field_and_never_the_value(self):
        bad = self.write("bad.json", {"name": "web", "image": "example/web", "environment": ["SECRETVALUE"],
                                      "health_status": 204})
        rc, out = run("validate", bad)
        self.assertEqual(rc, 1)
        self.assertIn("environment/0: fails pattern", out)
        self.assertIn("(top): fails dependentRequired", out)
        self.assertNotIn("SECRETVALUE", out)
        self.assertIn("1 of 1 files do not validate", out)

    def test_unknown_keys_and_missing_name(self):
        rc, out = run("validate", self.write("x.json", {"image": "example/web", "colour": "blue"}))
        self.assertEqual(rc, 1)
        self.assertIn("fails additionalProperties", out)
        self.assertIn("fails required", out)

    def test_a_hiera_entry_takes_the_hiera_keys_and_not_name(self):
        entry = self.write("e.yaml", "image: example/web\nensure: absent\nkv_layout: shared\n"
                                     "register_ports:\n  - {service: web, port: 8080, ip: '2001:db8::1'}\n")
        self.assertEqual(run("validate", "--hiera", entry)[0], 0)
        self.assertEqual(run("validate", entry)[0], 1)
        named = self.write("n.yaml", "image: example/web\nname: web\n")
        self.assertEqual(run("validate", "--hiera", named)[0], 1)

    def test_usage_and_unreadable_files_are_2(self):
        self.assertEqual(run("validate")[0], 2)
        self.assertEqual(run("validate", os.path.join(self.dir.name, "missing.json"))[0], 2)
        self.assertEqual(run("nothing")[0], 2)


class Corpus(unittest.TestCase):
    def test_the_schema_agrees_with_every_row_of_the_shared_corpus(self):
        rc, out = run("corpus")
        self.assertEqual(rc, 0, out)
        judged = int(re.search(r"schema corpus: (\d+) rows, 0 disagree", out).group(1))
        self.assertGreaterEqual(judged, 150)

    def test_the_corpus_covers_every_key(self):
        rows = contract.load_corpus()
        schema = contract.load_schema()
        keys = {r["key"] for r in rows}
        self.assertLessEqual(set(schema["properties"]) | set(contract.HIERA_ONLY), keys)
        for key in set(schema["properties"]) | set(contract.HIERA_ONLY):
            verdicts = {r["valid"] for r in rows if r["key"] == key}
            self.assertEqual(verdicts, {True, False}, "%s needs valid and invalid rows" % key)

    def test_a_wrong_row_is_reported_and_fails(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write('rows:\n  - {key: ports, value: ["80:80/sctp"], valid: false, why: "wrong on purpose"}\n'
                    '  - {key: name, value: "web", valid: true, why: "right"}\n')
        try:
            rc, out = run("corpus", f.name)
        finally:
            os.unlink(f.name)
        self.assertEqual(rc, 1)
        self.assertIn('row 1: ports = ["80:80/sctp"]: expected invalid, schema says valid (wrong on purpose)', out)
        self.assertIn("schema corpus: 2 rows, 1 disagree", out)

    def test_a_row_without_a_verdict_is_refused(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            f.write('rows:\n  - {key: ports, value: ["80:80"], why: "no verdict"}\n')
        try:
            with self.assertRaises(ValueError):
                contract.load_corpus(f.name)
        finally:
            os.unlink(f.name)


class KeyTable(unittest.TestCase):
    def test_the_spec_pages_table_is_current(self):
        rc, out = run("table")
        self.assertEqual(rc, 0, out)

    def test_one_row_per_key_in_the_schemas_order(self):
        schema = contract.load_schema()
        lines = contract.key_table(schema)
        self.assertEqual([re.match(r"\|`([a-z_]+)`\|", l).group(1) for l in lines[2:]], list(schema["properties"]))
        self.assertIn("|`restart_governor`|String|none|", "\n".join(lines))
        self.assertIn("|`kv_interval`|Duration|`10s`|", "\n".join(lines))
        self.assertIn("|`command`|String or Array|the image's `CMD`|", "\n".join(lines))


class JavaPatterns(unittest.TestCase):
    def test_hoist_clis_patterns_are_current(self):
        rc, out = run("java")
        self.assertEqual(rc, 0, out)

    def test_each_pattern_is_one_constant_named_by_its_place(self):
        names = dict((n, p) for n, p, _ in contract.pattern_constants(contract.load_schema()))
        self.assertEqual(names["VOLUMES_ITEM"], "/properties/volumes/items")
        self.assertEqual(names["LABELS_KEY"], "/properties/labels/propertyNames")
        self.assertEqual(names["SIZE"], "/$defs/size")
        self.assertEqual(names["WORDS"], "/$defs/words/anyOf/0")
        self.assertEqual(names["WORDS_ITEM"], "/$defs/words/anyOf/1/items")
        self.assertNotIn("MEMORY", names, "memory is a $ref to $defs/size")

    def test_a_java_string_escapes_backslashes_and_quotes(self):
        self.assertEqual(contract.java_string('^a\\"b$'), '"^a\\\\\\"b$"')


class PuppetTypes(unittest.TestCase):
    def test_the_types_are_current(self):
        rc, out = run("types")
        self.assertEqual(rc, 0, out)

    def test_a_pattern_is_written_as_puppet_writes_it(self):
        self.assertEqual(contract.ruby_regex("^/[^/^$]*(?!x$)$"), "/\\A\\/[^\\/^$]*(?!x\\z)\\z/")

    def test_a_key_without_an_alias_is_written_inline_and_one_with_an_alias_by_name(self):
        files = contract.generated_types(contract.load_schema())
        struct = files[os.path.join(contract.TYPES, "containerconfig.pp")]
        self.assertIn("    Optional[log_opts]           => Hash[Hoist::LogOptKey, Pattern[/\\A[^\\x00]*\\z/]],", struct)
        self.assertIn("    Optional[working_dir]        => Hoist::AbsolutePath,", struct)
        self.assertIn("    Optional[cpus]               => Variant[Integer[1, 1024], Float[0.01, 1024]],", struct)
        self.assertIn("    Optional[memory_swap]        => Pattern[/\\A(?:-1|", struct)
        self.assertTrue(struct.startswith("# The type below is generated from schema/container-spec.v1.json"))

    def test_a_stale_type_is_reported_and_fails(self):
        path = os.path.join(contract.TYPES, "size.pp")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("[bB]?", "[bB]"))
            rc, out = run("types")
            self.assertEqual(rc, 1)
            self.assertIn("types/size.pp (now)", out)
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


if __name__ == "__main__":
    unittest.main()
