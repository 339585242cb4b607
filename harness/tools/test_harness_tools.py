"""Tests of the small harness tools: choria-reply.py, doc.py, junit-summary.py, free-port.py."""
import importlib.util
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(HERE, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


reply = load("choria-reply")
doc = load("doc")
junit = load("junit-summary")


def machine_state(state="RUN", statuscode=0, **data):
    d = {"state": state, "id": "abc123", "available_transitions": ["stop", "restart", "update", "maintenance", "resume"]}
    d.update(data)
    return json.dumps({"replies": [{"sender": "n1", "statuscode": statuscode, "statusmsg": "OK", "data": d}]})


class ChoriaReply(unittest.TestCase):
    def test_state_of_a_good_reply(self):
        self.assertEqual(reply.field(machine_state("MAINTENANCE"), "state"), (0, "MAINTENANCE"))

    def test_the_instance_id(self):
        self.assertEqual(reply.field(machine_state(), "id"), (0, "abc123"))

    def test_a_server_that_does_not_run_the_machine_is_1(self):
        text = json.dumps({"replies": [{"statuscode": 5, "statusmsg": "Could not find machine", "data": {}}]})
        self.assertEqual(reply.field(text, "state"), (1, None))

    def test_no_reply_and_junk_are_2(self):
        self.assertEqual(reply.field(json.dumps({"replies": []}), "state"), (2, None))
        self.assertEqual(reply.field("not json", "state"), (2, None))
        self.assertEqual(reply.field("[1, 2]", "state"), (2, None))

    def test_has_transitions(self):
        self.assertEqual(reply.has_transitions(machine_state(), ["stop", "restart"]), 0)
        self.assertEqual(reply.has_transitions(machine_state(), ["stop", "fly"]), 1)

    def test_transition_accepted_refused_and_unanswered(self):
        accepted = json.dumps({"replies": [{"statuscode": 0, "data": {"success": True}}]})
        refused = json.dumps({"replies": [{"statuscode": 1, "statusmsg": "not a valid transition", "data": {}}]})
        err = io.StringIO()
        self.assertEqual(reply.transition(accepted, "stop", err), 0)
        self.assertEqual(reply.transition(refused, "fly", err), 1)
        self.assertEqual(err.getvalue(), "machine_transition fly: not a valid transition\n")
        self.assertEqual(reply.transition(json.dumps({"replies": []}), "stop", err), 2)


MACHINE = {
    "name": "hoist_web",
    "watchers": [
        {"name": "check", "type": "exec", "properties": {"command": "hoist-cli check web", "environment": ["A=1", "B=2"]}},
        {"name": "tag", "type": "kv", "properties": {"bucket": "HOIST_web", "key": "TAG"}},
        {"name": "remediate", "type": "exec", "properties": {"command": "hoist-cli start --if-needed web", "environment": ["A=1"]}},
    ],
}


class Doc(unittest.TestCase):
    def setUp(self):
        fd, self.path = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(fd, "w") as f:
            import yaml
            yaml.safe_dump(MACHINE, f)

    def tearDown(self):
        os.unlink(self.path)

    def get(self, path):
        value = doc.select(doc.load(self.path), path)
        return None if value is doc.MISSING else value

    def test_keys_and_indexes(self):
        self.assertEqual(self.get("name"), "hoist_web")
        self.assertEqual(self.get("watchers.0.properties.command"), "hoist-cli check web")
        self.assertEqual(self.get("watchers.-1.name"), "remediate")
        self.assertIsNone(self.get("watchers.9.name"))
        self.assertIsNone(self.get("nothing.here"))

    def test_star_and_filters_fan_out(self):
        self.assertEqual(self.get("watchers.*.name"), ["check", "tag", "remediate"])
        self.assertEqual(self.get("watchers.[type=exec].name"), ["check", "remediate"])
        self.assertEqual(self.get("watchers.[name=tag].properties.bucket"), ["HOIST_web"])
        self.assertEqual(self.get("watchers.[type=exec].properties.environment.*"), ["A=1", "B=2", "A=1"])
        self.assertEqual(self.get("watchers.[name=nope].name"), [])

    def test_render(self):
        self.assertEqual(doc.render(["a", "b"]), "a\nb")
        self.assertEqual(doc.render(True), "true")
        self.assertEqual(doc.render({"b": 1, "a": [1]}), '{"a":[1],"b":1}')

    def test_equal_lacks_and_exit_codes(self):
        self.assertEqual(doc.main(["equal", self.path, json.dumps(MACHINE)]), 0)
        self.assertEqual(doc.main(["lacks", self.path, "colour"]), 0)
        self.assertEqual(doc.main(["lacks", self.path, "name"]), 1)
        self.assertEqual(doc.main(["get", self.path, "watchers.[name=nope].name"]), 1)

    def test_set_and_delete_write_the_file_back(self):
        self.assertEqual(doc.main(["set", self.path, "watchers.1.properties.key", '"TAG2"']), 0)
        self.assertEqual(self.get("watchers.1.properties.key"), "TAG2")
        self.assertEqual(doc.main(["delete", self.path, "watchers.0"]), 0)
        self.assertEqual(self.get("watchers.*.name"), ["tag", "remediate"])

    def test_equal_reports_both_documents(self):
        result = subprocess.run([sys.executable, os.path.join(HERE, "doc.py"), "equal", self.path, '{"name": "x"}'],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertIn('expected: {"name": "x"}', result.stderr)


class JunitSummary(unittest.TestCase):
    def write(self, folder, name, cases):
        body = "".join(cases)
        with open(os.path.join(folder, "TEST-%s.xml" % name), "w") as f:
            f.write('<testsuite name="%s" tests="%d">%s</testsuite>' % (name, len(cases), body))

    def test_a_class_per_line_with_its_failures(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, "a.GoodTest", ['<testcase name="one"/>', '<testcase name="two"><skipped/></testcase>'])
            self.write(d, "a.BadTest", ['<testcase name="ok"/>',
                                        '<testcase name="bad"><failure message="expected 1&#10;but was 2"/></testcase>',
                                        '<testcase name="worse"><error type="java.lang.NullPointerException"/></testcase>'])
            lines = junit.lines([d, os.path.join(d, "missing")])
        self.assertEqual(lines, [
            "not ok a.BadTest: 2 of 3 failed",
            "#   bad: expected 1",
            "#   worse: java.lang.NullPointerException",
            "ok a.GoodTest (2 tests, 1 skipped)",
            "# tests: 5 run, 2 failed, 1 skipped",
        ])

    def test_no_report_is_a_failure(self):
        with tempfile.TemporaryDirectory() as d:
            self.assertEqual(junit.lines([d]), ["not ok no test reports in %s" % d])


class FreePort(unittest.TestCase):
    def test_prints_a_port_that_can_be_bound_on_loopback(self):
        out = subprocess.run([sys.executable, os.path.join(HERE, "free-port.py")], capture_output=True, text=True, check=True)
        port = int(out.stdout)
        self.assertGreater(port, 0)
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


if __name__ == "__main__":
    unittest.main()
