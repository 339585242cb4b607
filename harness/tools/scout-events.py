#!/usr/bin/env python3
"""harness/tools/scout-events.py: what Scout published, as the e2e reads it.

  scout-events.py sequence FILE CURSOR MACHINE
      FILE is the output of `choria machine watch --watchers --type nagios`, one line per nagios
      state CloudEvent (type io.choria.machine.watcher.nagios.v1.state, NATS subject
      choria.machine.watcher.nagios.state): `[HH:MM:SS] IDENTITY MACHINE#WATCHER STATUS: OUTPUT`.
      Prints MACHINE's statuses as they changed: the last one before byte CURSOR (the state the
      action started from, when there is one), then those after it, repeats collapsed; e.g.
      `OK CRITICAL OK`.
  scout-events.py starts FILE CURSOR MACHINE STATUS...
      Exit 0 when that sequence starts with STATUS... (else 1, printing the sequence).
  scout-events.py metric FILE MACHINE STATUS
      FILE is a Prometheus text scrape (node_exporter's textfile collector reading the folder of
      plugin.choria.prometheus_textfile_directory). Exit 0 when it has
      choria_machine_nagios_watcher_status{name="MACHINE",status="STATUS"} with STATUS's code
      (OK 0, WARNING 1, CRITICAL 2, UNKNOWN 3) and a checks_count and last_run_seconds for
      MACHINE; else 1, printing what it has for MACHINE.
"""
import re
import sys

LINE = re.compile(r"^\[\d\d:\d\d:\d\d\] (\S+) (\S+)#(\S+) (OK|WARNING|CRITICAL|UNKNOWN): ")
CODES = {"OK": 0, "WARNING": 1, "CRITICAL": 2, "UNKNOWN": 3}
SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}\s+(\S+)')


def statuses(text, machine):
    return [m.group(4) for m in map(LINE.match, text.splitlines()) if m and m.group(2) == machine]


def sequence(data, cursor, machine):
    before = statuses(data[:cursor].decode("utf-8", "replace"), machine)
    after = statuses(data[cursor:].decode("utf-8", "replace"), machine)
    out = []
    for s in before[-1:] + after:
        if not out or out[-1] != s:
            out.append(s)
    return out


def labels(text):
    return dict(re.findall(r'(\w+)="([^"]*)"', text))


def samples(text, machine):
    """{metric name: [(labels, value)]} of the samples whose name label is MACHINE."""
    found = {}
    for line in text.splitlines():
        m = SAMPLE.match(line)
        if m and labels(m.group(2)).get("name") == machine:
            found.setdefault(m.group(1), []).append((labels(m.group(2)), float(m.group(3))))
    return found


def metric_ok(text, machine, status):
    found = samples(text, machine)
    st = found.get("choria_machine_nagios_watcher_status", [])
    return (any(l.get("status") == status and v == CODES[status] for l, v in st)
            and "choria_machine_nagios_watcher_checks_count" in found
            and "choria_machine_nagios_watcher_last_run_seconds" in found), found


def main(argv):
    verb, args = argv[0], argv[1:]
    if verb in ("sequence", "starts"):
        with open(args[0], "rb") as f:
            data = f.read()
        seq = sequence(data, int(args[1]), args[2])
        print(" ".join(seq))
        return 0 if verb == "sequence" or seq[:len(args[3:])] == args[3:] else 1
    if verb == "metric":
        with open(args[0], encoding="utf-8") as f:
            ok, found = metric_ok(f.read(), args[1], args[2])
        if not ok:
            print(found)
        return 0 if ok else 1
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["?"]))
