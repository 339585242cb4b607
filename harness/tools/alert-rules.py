#!/usr/bin/env python3
"""harness/tools/alert-rules.py: the alerting rules' unit tests cover every alert both ways.

  alert-rules.py coverage RULES TESTS
      RULES is a Prometheus rule file (files/prometheus/hoist.rules.yml), TESTS its `promtool test
      rules` file (spec/prometheus/hoist.rules.test.yml). Exit 0 when every alert of RULES has at
      least one alert_rule_test in TESTS that expects it to fire (a non-empty exp_alerts) and one
      that expects it quiet (an empty exp_alerts), and every alertname TESTS names is in RULES;
      else 1, printing one line per gap. promtool itself checks that each expectation holds.
"""
import sys

import yaml


def alerts(rules):
    return [r["alert"] for g in rules.get("groups") or [] for r in g.get("rules") or [] if "alert" in r]


def gaps(rules, tests):
    names = alerts(rules)
    fires, quiet, named = set(), set(), set()
    for test in tests.get("tests") or []:
        for t in test.get("alert_rule_test") or []:
            name = t.get("alertname")
            named.add(name)
            (fires if t.get("exp_alerts") else quiet).add(name)
    out = []
    for name in names:
        if name not in fires:
            out.append(f"{name}: no test expects it to fire")
        if name not in quiet:
            out.append(f"{name}: no test expects it quiet")
    for name in sorted(n for n in named if n not in names):
        out.append(f"{name}: tested, but no such alert in the rules")
    if not names:
        out.append("the rules define no alert")
    return out


def main(argv):
    if len(argv) != 4 or argv[1] != "coverage":
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as f:
        rules = yaml.safe_load(f) or {}
    with open(argv[3], encoding="utf-8") as f:
        tests = yaml.safe_load(f) or {}
    out = gaps(rules, tests)
    for line in out:
        print(line)
    if not out:
        print(f"{len(alerts(rules))} alerts, each with a test that fires it and one that keeps it quiet")
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
