"""Tests of alert-rules.py."""
import contextlib
import importlib.util
import io
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("alert_rules", os.path.join(HERE, "alert-rules.py"))
rules_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rules_tool)

RULES = {"groups": [{"name": "hoist", "rules": [
    {"record": "hoist:up", "expr": "1"},
    {"alert": "A", "expr": "1"},
    {"alert": "B", "expr": "1"},
]}]}


def case(name, fires):
    return {"alertname": name, "eval_time": "1m", "exp_alerts": [{"exp_labels": {}}] if fires else []}


class Coverage(unittest.TestCase):
    def test_every_alert_fired_and_quiet_is_covered(self):
        tests = {"tests": [{"alert_rule_test": [case("A", True), case("B", False)]},
                           {"alert_rule_test": [case("A", False), case("B", True)]}]}
        self.assertEqual(rules_tool.gaps(RULES, tests), [])

    def test_an_alert_never_fired_is_named(self):
        tests = {"tests": [{"alert_rule_test": [case("A", True), case("A", False), case("B", False)]}]}
        self.assertEqual(rules_tool.gaps(RULES, tests), ["B: no test expects it to fire"])

    def test_an_alert_never_quiet_is_named(self):
        tests = {"tests": [{"alert_rule_test": [case("A", True), case("A", False), case("B", True)]}]}
        self.assertEqual(rules_tool.gaps(RULES, tests), ["B: no test expects it quiet"])

    def test_an_alert_with_no_test_is_named_twice(self):
        tests = {"tests": [{"alert_rule_test": [case("A", True), case("A", False)]}]}
        self.assertEqual(rules_tool.gaps(RULES, tests),
                         ["B: no test expects it to fire", "B: no test expects it quiet"])

    def test_a_test_of_an_unknown_alert_is_named(self):
        tests = {"tests": [{"alert_rule_test": [case("A", True), case("A", False), case("B", True),
                                                case("B", False), case("Gone", True)]}]}
        self.assertEqual(rules_tool.gaps(RULES, tests), ["Gone: tested, but no such alert in the rules"])

    def test_rules_without_alerts_are_a_gap(self):
        self.assertEqual(rules_tool.gaps({"groups": []}, {"tests": []}), ["the rules define no alert"])

    def test_the_shipped_rules_are_covered(self):
        root = os.path.dirname(os.path.dirname(HERE))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = rules_tool.main(["alert-rules.py", "coverage",
                                    os.path.join(root, "files", "prometheus", "hoist.rules.yml"),
                                    os.path.join(root, "spec", "prometheus", "hoist.rules.test.yml")])
        self.assertEqual(code, 0, out.getvalue())


if __name__ == "__main__":
    unittest.main()
