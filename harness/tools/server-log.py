#!/usr/bin/env python3
"""harness/tools/server-log.py: what a Choria server's log says about one machine.

The log is go-choria 0.30.2's (logrus, JSON: one object a line with `level`, `msg`, `time`,
`component`); a machine's own lines start `hoist_NAME#WATCHER: ` (or name it as
`Autonomous Agent hoist_NAME`, `hoist_NAME transitioned via event ...`). Lines that are not JSON
(the server's stdout before logging starts) are skipped.

  server-log.py after FILE REGEX
      Prints the byte offset just past the first line whose message matches REGEX (Python's
      re.search; a cursor for the others); exit 1 when no line does.
  server-log.py problems FILE CURSOR MACHINE
      Prints MACHINE's lines after byte CURSOR at level warning, error, fatal or panic, one
      `LEVEL TIME MSG` each; exit 0 when there is none, 1 when there are (their count last).
  server-log.py time FILE CURSOR REGEX
      Prints the time (Unix seconds) of the first line after byte CURSOR whose message matches
      REGEX; exit 1 when none does.
  server-log.py count FILE CURSOR REGEX
      Prints how many lines after byte CURSOR have a message that matches REGEX.
"""
import calendar
import json
import re
import sys
import time

LOUD = ("warning", "warn", "error", "fatal", "panic")


def records(data, cursor=0):
    """(record, end offset) for each JSON line of DATA (bytes) after byte CURSOR."""
    pos = cursor
    for raw in data[cursor:].splitlines(keepends=True):
        pos += len(raw)
        try:
            rec = json.loads(raw.decode("utf-8", "replace"))
        except ValueError:
            continue
        if isinstance(rec, dict):
            yield rec, pos


def mentions(msg, machine):
    return re.search(r"(?<![A-Za-z0-9_-])" + re.escape(machine) + r"(?![A-Za-z0-9_-])", msg) is not None


def after(data, pattern):
    for rec, end in records(data):
        if re.search(pattern, str(rec.get("msg", ""))):
            return end
    return None


def count(data, cursor, pattern):
    return sum(1 for rec, _ in records(data, cursor) if re.search(pattern, str(rec.get("msg", ""))))


def problems(data, cursor, machine):
    return [rec for rec, _ in records(data, cursor)
            if str(rec.get("level", "")).lower() in LOUD and mentions(str(rec.get("msg", "")), machine)]


def unix(stamp):
    """2026-12-07T06:15:33Z (logrus's RFC 3339, UTC) -> Unix seconds."""
    return calendar.timegm(time.strptime(stamp.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z"))


def first_time(data, cursor, pattern):
    for rec, _ in records(data, cursor):
        if re.search(pattern, str(rec.get("msg", ""))):
            return unix(rec["time"])
    return None


def main(argv):
    try:
        cmd = argv[1]
        with open(argv[2], "rb") as f:
            data = f.read()
        if cmd == "after" and len(argv) == 4:
            end = after(data, argv[3])
            if end is None:
                return 1
            print(end)
            return 0
        if cmd == "problems" and len(argv) == 5:
            found = problems(data, int(argv[3]), argv[4])
            for rec in found:
                print(f"{rec.get('level')} {rec.get('time')} {rec.get('msg')}")
            if found:
                print(f"{len(found)} warning or error lines of {argv[4]}")
                return 1
            return 0
        if cmd == "count" and len(argv) == 5:
            print(count(data, int(argv[3]), argv[4]))
            return 0
        if cmd == "time" and len(argv) == 5:
            t = first_time(data, int(argv[3]), argv[4])
            if t is None:
                return 1
            print(t)
            return 0
    except (IndexError, ValueError, OSError, re.error) as e:
        print(f"server-log.py: {e}", file=sys.stderr)
        return 2
    print(__doc__.strip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
