#!/usr/bin/env python3
"""Prints issue 18's targets from one bench/measure.py run (its --json file): ratios per JDK.

Usage: targets.py MAIN_JSON CHECK_INTERVAL CONTAINERS JDK...
"""
import json
import sys


def seconds(interval):
    n, unit = int(interval[:-1]), interval[-1]
    return n * {"s": 1, "m": 60, "h": 3600}[unit]


def main():
    m = json.load(open(sys.argv[1]))
    interval = sys.argv[2]
    containers = sys.argv[3]
    jdks = sys.argv[4:]
    every = seconds(interval)
    shell = m["shell check (bash + docker inspect)"]

    def row(jdk, name):
        return m[f"JDK {jdk}: {name}"]

    lines = []  # (target, {jdk: (text, met)})

    def ratio(a, b, limit, both=True):
        out = {}
        for j in jdks:
            x, y = row(j, a), row(j, b)
            w, c = x["wall_s"] / y["wall_s"], x["cpu_s"] / y["cpu_s"]
            met = (w <= limit and c <= limit) if both else c <= limit
            out[j] = (f"{w:.2f}x / {c:.2f}x", met)
        return out

    lines.append((f"check / hello world, wall / CPU (at most 1.8x)", ratio("hoist-cli check web", "hello world (floor)", 1.8)))
    lines.append((f"status web / check, wall / CPU (at most 2x)", ratio("hoist-cli status web", "hoist-cli check web", 2.0)))
    lines.append((f"status ({containers}) / status web, wall / CPU (at most 3x)",
                  ratio(f"hoist-cli status ({containers})", "hoist-cli status web", 3.0)))
    rss = {}
    for j in jdks:
        peak = max(row(j, n)["peak_rss_mib"] for n in ("hoist-cli check web", "hoist-cli status web", f"hoist-cli status ({containers})"))
        rss[j] = (f"{row(j, 'hoist-cli check web')['peak_rss_mib']:.0f} / {row(j, 'hoist-cli status web')['peak_rss_mib']:.0f}"
                  f" / {row(j, f'hoist-cli status ({containers})')['peak_rss_mib']:.0f} MiB", peak <= 60.0)
    lines.append((f"peak RSS check / status web / status ({containers}) (at most 60 MiB)", rss))
    orig = 3600 / 20 * shell["cpu_s"]
    hour = {}
    for j in jdks:
        ours = 3600 / every * row(j, "hoist-cli check web")["cpu_s"]
        hour[j] = (f"{ours:.1f} vs {orig:.1f} CPU-s ({ours / orig:.2f}x)", ours <= orig)
    lines.append((f"CPU per container-hour, check every {interval} vs shell check every 20 s (at most 1.0x)", hour))

    width = max(len(t) for t, _ in lines)
    print("== targets (issue 18): ratios from the one measurement above (wall / CPU medians)")
    print(f"{'target':<{width}}  " + "  ".join(f"{'JDK ' + j:<30}" for j in jdks))
    for target, per in lines:
        cells = "  ".join(f"{per[j][0] + ('  met' if per[j][1] else '  NOT met'):<30}" for j in jdks)
        print(f"{target:<{width}}  {cells}")
    print(f"(CPU per container-hour: {3600 // every} checks x hoist-cli check's CPU, against 180 x the shell check's"
          f" {shell['cpu_s'] * 1000:.1f} ms; the targets are set for JDK 17)")


if __name__ == "__main__":
    main()
