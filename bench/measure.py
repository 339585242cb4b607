#!/usr/bin/env python3
"""Runs commands alternately, many times, and prints medians and ratios against a baseline.

Usage: measure.py --runs N [--json FILE] --label NAME -- CMD... [--label NAME -- CMD...]
The first command is the baseline. Each round runs every command once, in turn, so that
load on the machine falls on all of them alike. Wall time, CPU time (user+sys of the
child, from wait4) and peak RSS (ru_maxrss) are measured for each run. A command that
exits non-zero fails the measurement (its stderr is shown).
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run_once(cmd, env):
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    rc = os.waitstatus_to_exitcode(status)
    if rc != 0:
        sys.exit(f"measure: {' '.join(cmd)} exited {rc}: {err.strip()[:500]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def parse(argv):
    runs = 20
    out = None
    items = []
    i = 0
    while i < len(argv):
        if argv[i] == "--runs":
            runs = int(argv[i + 1]); i += 2
        elif argv[i] == "--json":
            out = argv[i + 1]; i += 2
        elif argv[i] == "--label":
            label = argv[i + 1]
            assert argv[i + 2] == "--", "--label NAME -- CMD..."
            j = i + 3
            while j < len(argv) and argv[j] != "--label":
                j += 1
            items.append((label, argv[i + 3:j]))
            i = j
        else:
            sys.exit(f"measure: unexpected {argv[i]}")
    return runs, out, items


def main():
    runs, out, items = parse(sys.argv[1:])
    env = dict(os.environ)
    for _, cmd in items:  # warm-up: page cache, CDS archive creation
        run_once(cmd, env)
    samples = {label: [] for label, _ in items}
    for _ in range(runs):
        for label, cmd in items:
            samples[label].append(run_once(cmd, env))
    base = items[0][0]
    bw = statistics.median(s[0] for s in samples[base])
    bc = statistics.median(s[1] for s in samples[base])
    summary = {}
    print(f"{'command':<34} {'wall ms':>8} {'cpu ms':>8} {'wall x':>7} {'cpu x':>7} {'peak RSS MiB':>12}   (medians of {runs})")
    for label, _ in items:
        w = statistics.median(s[0] for s in samples[label])
        c = statistics.median(s[1] for s in samples[label])
        rss = max(s[2] for s in samples[label]) / 1024
        print(f"{label:<34} {w*1000:8.1f} {c*1000:8.1f} {w/bw:7.2f} {c/bc:7.2f} {rss:12.1f}")
        summary[label] = {"wall_s": w, "cpu_s": c, "peak_rss_mib": rss}
    if out:
        with open(out, "w") as f:
            json.dump(summary, f)


if __name__ == "__main__":
    main()
