#!/usr/bin/env python3
"""bench/gap.py: how long a replaced container leaves its port unanswered (issue 27), for bench/gap.sh.

  gap.py watch URL OUT      GET URL every 2 ms (0.2 s timeout) until SIGTERM; append to OUT one line
                            "T OK" per change of answer (T: epoch seconds, OK: 1 answered 200, 0 not)
  gap.py gaps OUT T0 T1     the gaps between T0 and T1: for each run of 0s, the time from the last
                            answer before it to the first answer after it, in ms; printed one a line
"""
import signal
import sys
import threading
import time
import urllib.request


def watch(url, out):
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    last = None
    last_ok = None
    with open(out, "a", buffering=1) as f:
        while not stop.is_set():
            t = time.time()
            try:
                with urllib.request.urlopen(url, timeout=0.2) as r:
                    ok = 1 if r.status == 200 else 0
            except Exception:
                ok = 0
            if ok != last:
                # A change is stamped with the last sample of the old answer and the first of the new,
                # so the gap is measured from the last answer to the first answer again.
                if ok == 0 and last_ok is not None:
                    f.write("%.4f 1\n" % last_ok)
                f.write("%.4f %d\n" % (t, ok))
                last = ok
            if ok:
                last_ok = t
            stop.wait(0.002)


def gaps(out, t0, t1):
    rows = []
    with open(out) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                rows.append((float(parts[0]), int(parts[1])))
    result = []
    last_up = None
    down = False
    for t, ok in rows:
        if t < t0 or t > t1:
            continue
        if ok:
            if down and last_up is not None:
                result.append(1000 * (t - last_up))
            down = False
            last_up = t
        else:
            down = True
    for g in result:
        print("%.0f" % g)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "watch":
        watch(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "gaps":
        gaps(sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
