#!/usr/bin/env python3
"""harness/tools/junit-summary.py: Surefire's and Failsafe's XML reports as TAP-style lines.

  junit-summary.py DIR...

Prints, for every test class in the TEST-*.xml reports of the DIRs (a missing DIR is none),
`ok CLASS (N tests)` or `not ok CLASS: F of N failed`, with `# ` lines naming each failed or
erroring test and the first line of its message; then `# tests: T run, F failed, S skipped`.
A run that wrote no report at all prints `not ok no test reports in DIR...`: Maven ran no test.
harness/scenarios/java.sh numbers the lines and counts them.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ET


def read(dirs):
    """[(class name, tests, [(test, message)] failed, skipped)] in name order."""
    classes = []
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(d, "TEST-*.xml"))):
            suite = ET.parse(path).getroot()
            bad, skipped, tests = [], 0, 0
            for case in suite.iter("testcase"):
                tests += 1
                problem = case.find("failure")
                if problem is None:
                    problem = case.find("error")
                if problem is not None:
                    message = (problem.get("message") or problem.get("type") or "").strip().splitlines()
                    bad.append((case.get("name"), message[0][:300] if message else ""))
                elif case.find("skipped") is not None:
                    skipped += 1
            classes.append((suite.get("name"), tests, bad, skipped))
    return sorted(classes)


def lines(dirs):
    classes = read(dirs)
    if not classes:
        return ["not ok no test reports in %s" % " ".join(dirs)]
    out = []
    for name, tests, bad, skipped in classes:
        if bad:
            out.append("not ok %s: %d of %d failed" % (name, len(bad), tests))
            out.extend("#   %s: %s" % b for b in bad)
        else:
            out.append("ok %s (%d tests%s)" % (name, tests, ", %d skipped" % skipped if skipped else ""))
    run = sum(c[1] for c in classes)
    out.append("# tests: %d run, %d failed, %d skipped" % (run, sum(len(c[2]) for c in classes), sum(c[3] for c in classes)))
    return out


if __name__ == "__main__":
    print("\n".join(lines(sys.argv[1:])))
