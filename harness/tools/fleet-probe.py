#!/usr/bin/env python3
"""harness/tools/fleet-probe.py: the availability probe of harness/scenarios/fleet.sh, and the analysis of what it saw.

  fleet-probe.py probe OUT MAX_SECONDS NAME=URL...
      Every 100 ms, GET every URL at once (0.5 s timeout each) and append one JSON line to OUT:
      {"t": EPOCH_SECONDS, "n": {"NAME": [STATUS, BODY], ...}} (STATUS 0: no answer). Stops
      after MAX_SECONDS, or on SIGTERM.

  fleet-probe.py rollout OUT T0 T1 OLD NEW [CAUSE]
      Analyses the samples between T0 (the KV write, or CAUSE, e.g. "registry push") and T1: a
      rolling update from OLD to NEW (version words as the service answers them, e.g. "hoist-web v2").
  fleet-probe.py broken OUT T0 T1 GOOD BAD
      A broken release BAD written at T0: one node may try it and roll back to GOOD; the others
      must keep serving GOOD.
  fleet-probe.py back OUT T_EXIT T1 NODE GOOD LIMIT
      Fail fast: T_EXIT is when the broken container on NODE first exited (its Docker die event);
      the first sample after it in which NODE serves GOOD again must come within LIMIT seconds.
  fleet-probe.py steer OUT T0 T1 LABEL FINAL
      A steered rollout (canary, promote, abort, pause, resume, deadline) between T0 and T1: never
      more than one node down at once, every node ends on FINAL; each node's downtime and the
      fleet's availability, as `LABEL: ...`.
  fleet-probe.py outage OUT T0 T1 LABEL
      Only measures: each node's downtime between T0 (a fault) and T1, as `LABEL: NODE downtime`
      (harness/scenarios/faults.sh).

  fleet-probe.py follow OUT MAX_SECONDS CMD...
      A client that follows the service registry (issue 27): runs CMD (`hoist-cli endpoints SERVICE
      --json --watch`: one JSON array per line, each time the registered endpoints change) and every
      20 ms GETs the next endpoint of the last list (round robin, 0.5 s timeout), appending one line
      per request to OUT: {"t": EPOCH_SECONDS, "ep": "ADDRESS:PORT" or null (none registered),
      "s": STATUS (0: no answer)}, and {"t": ..., "view": [ADDRESS:PORT, ...]} at each new list.
      Stops after MAX_SECONDS, on SIGTERM, or when CMD ends (then stopped by pid).
  fleet-probe.py followed FOLLOW_OUT PROBE_OUT T0 T1 LABEL
      The registry-following probe's requests between T0 and T1: at least MIN_REQUESTS, none failed;
      beside them the unregistered probe's (PROBE_OUT) total node downtime in the same window.

The analyses print lines for fleet.sh to count and show (its tests: test_fleet_probe.py):
  ok DESCRIPTION / FAILED DESCRIPTION     an assertion
  measured NAME|VALUE                     a measurement for the summary table
  info TEXT                               anything else worth showing
"""
import json
import signal
import sys
import threading
import time
import urllib.error
import urllib.request

INTERVAL = 0.1
TIMEOUT = 0.5
MAX_GAP = 1.5


def fetch(url, out, name):
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
            body = r.read(200).decode("utf-8", "replace").strip()
            # Every version answers a body: an empty one is an answer cut off by a server stopping
            # mid-request (SIGTERM), which a client sees as a failed request, not as a version.
            out[name] = [r.status, body] if body else [0, ""]
    except urllib.error.HTTPError as e:
        out[name] = [e.code, ""]
    except Exception:  # refused, reset, timed out: not available
        out[name] = [0, ""]


def probe(path, max_seconds, targets):
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    nodes = dict(t.split("=", 1) for t in targets)
    deadline = time.time() + max_seconds
    next_tick = time.time()
    with open(path, "a", buffering=1) as f:
        while not stop.is_set() and time.time() < deadline:
            t = time.time()
            seen = {}
            threads = [threading.Thread(target=fetch, args=(u, seen, n)) for n, u in nodes.items()]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            f.write(json.dumps({"t": round(t, 3), "n": seen}) + "\n")
            next_tick += INTERVAL
            delay = next_tick - time.time()
            if delay > 0:
                stop.wait(delay)
            else:
                next_tick = time.time()


FOLLOW_INTERVAL = 0.02
MIN_REQUESTS = 500


def follow(path, max_seconds, cmd):
    import subprocess
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    view = {"eps": [], "new": None}
    lock = threading.Lock()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def read():
        for line in child.stdout:
            try:
                eps = ["%s:%d" % (("[%s]" % e["address"]) if ":" in e["address"] else e["address"], e["port"])
                       for e in json.loads(line)]
            except (ValueError, KeyError, TypeError):
                continue
            with lock:
                view["eps"], view["new"] = eps, eps
        stop.set()  # the command ended: nothing more to follow

    threading.Thread(target=read, daemon=True).start()
    deadline = time.time() + max_seconds
    next_tick = time.time()
    i, seen = 0, False
    try:
        with open(path, "a", buffering=1) as f:
            while not stop.is_set() and time.time() < deadline:
                with lock:
                    eps, new = view["eps"], view["new"]
                    view["new"] = None
                t = time.time()
                if new is not None:
                    f.write(json.dumps({"t": round(t, 3), "view": new}) + "\n")
                if eps:
                    ep = eps[i % len(eps)]
                    i += 1
                    got = {}
                    fetch("http://%s/" % ep, got, "x")
                    f.write(json.dumps({"t": round(t, 3), "ep": ep, "s": got["x"][0]}) + "\n")
                    seen = True
                elif seen:
                    # Every endpoint withdrawn: a client would have nowhere to send this request.
                    f.write(json.dumps({"t": round(t, 3), "ep": None, "s": 0}) + "\n")
                next_tick += FOLLOW_INTERVAL
                delay = next_tick - time.time()
                if delay > 0:
                    stop.wait(delay)
                else:
                    next_tick = time.time()
    finally:
        child.terminate()
        try:
            child.wait(5)
        except subprocess.TimeoutExpired:
            child.kill()


def followed(follow_path, probe_path, t0, t1, label):
    rep = Report()
    requests, views, changes, last = [], 0, [], None
    with open(follow_path) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if "view" in r:
                if last is not None and r["t"] <= t1 and set(last) - set(r["view"]):
                    changes.append(r["t"])  # an endpoint withdrawn, as the client saw it
                last = r["view"]
            if t0 <= r["t"] <= t1:
                if "view" in r:
                    views += 1
                else:
                    requests.append(r)
    failed = [r for r in requests if r["s"] != 200]
    by_ep = {}
    for r in requests:
        by_ep.setdefault(r["ep"], [0, 0])[0 if r["s"] == 200 else 1] += 1
    rep.info("%s: registry-following probe: %s; %d changes of the registered list"
             % (label, ", ".join("%s %d ok %d failed" % (e, a, b) for e, (a, b) in sorted(by_ep.items(), key=str)), views))
    rep.check(len(requests) >= MIN_REQUESTS, "%s: the registry-following probe sent at least %d requests (%d)"
              % (label, MIN_REQUESTS, len(requests)))
    detail = ""
    if failed:
        detail = "; first at +%.2f s to %s (status %d)" % (failed[0]["t"] - t0, failed[0]["ep"], failed[0]["s"])
    rep.check(not failed, "%s: no request of the registry-following probe failed (%d of %d%s)"
              % (label, len(failed), len(requests), detail))
    samples = load(probe_path, t0, t1) if probe_path != "-" else []
    nodes = sorted(samples[0]["n"]) if samples else []
    down = sum(downtime(samples, n)[0] for n in nodes)
    rep.measured("%s: registry-following probe's failed requests; unregistered probe's node downtime" % label,
                 "%d of %d; %d ms" % (len(failed), len(requests), round(down * 1000)))
    leads = lead_times(changes, [o[0] for n in nodes for o in downtime(samples, n)[1]])
    if leads:
        rep.measured("%s: the registry-following client stopped using a node this long before its outage" % label,
                     "min %.2f s, median %.2f s (%d outages)" % (min(leads), sorted(leads)[len(leads) // 2], len(leads)))
    return rep


LEAD_WINDOW = 30.0


def lead_times(withdrawals, outages):
    """For each outage (its first down sample), the seconds since the client last saw an endpoint
    withdrawn (within LEAD_WINDOW): how much of drain_time was left when the container stopped.
    Replacements run one at a time (a governor of capacity 1), so the last withdrawal before an
    outage is that node's. An outage with no withdrawal before it is not counted."""
    leads = []
    for start in sorted(outages):
        before = [w for w in withdrawals if start - LEAD_WINDOW <= w <= start]
        if before:
            leads.append(start - max(before))
    return leads


def load(path, t0, t1):
    samples = []
    with open(path) as f:
        for line in f:
            try:
                s = json.loads(line)
            except ValueError:
                continue  # a line cut short by SIGTERM
            if t0 <= s["t"] <= t1:
                samples.append(s)
    return samples


class Report:
    def __init__(self):
        self.failed = 0

    def check(self, cond, what):
        print(("ok " if cond else "FAILED ") + what)
        if not cond:
            self.failed += 1

    @staticmethod
    def measured(name, value):
        print("measured %s|%s" % (name, value))

    @staticmethod
    def info(text):
        print("info " + text)


def up(answer):
    return answer[0] == 200


def serves(answer, version):
    return answer[0] == 200 and answer[1] == version


def downtime(samples, node):
    """Seconds the node was down (each down sample counts until the next sample), and the
    outages as (first down sample, first sample up again) times."""
    total, outages, was_down = 0.0, [], False
    for i, s in enumerate(samples):
        down = not up(s["n"][node])
        if down:
            nxt = samples[i + 1]["t"] if i + 1 < len(samples) else s["t"] + INTERVAL
            total += nxt - s["t"]
            if not was_down:
                outages.append([s["t"], None])
        elif was_down:
            outages[-1][1] = s["t"]
        was_down = down
    return total, outages


def describe_downtime(total, outages, t0):
    spans = ", ".join("+%.1f..%s" % (a - t0, "+%.1f s" % (b - t0) if b else "end") for a, b in outages)
    return "%d ms (%d outage%s%s)" % (round(total * 1000), len(outages), "" if len(outages) == 1 else "s",
                                      ": " + spans if spans else "")


def first_of_final_run(samples, node, version):
    """Time of the first sample of the last unbroken run of samples serving version, or None."""
    t = None
    for s in samples:
        if serves(s["n"][node], version):
            if t is None:
                t = s["t"]
        else:
            t = None
    return t


def common(samples, rep, t0, t1):
    nodes = sorted(samples[0]["n"]) if samples else []
    span = samples[-1]["t"] - samples[0]["t"] if len(samples) > 1 else 0.0
    gap = max((b["t"] - a["t"] for a, b in zip(samples, samples[1:])), default=0.0)
    rep.info("%d samples over %.1f s (window %.1f s), mean interval %.0f ms, largest gap %.0f ms"
             % (len(samples), span, t1 - t0, 1000 * span / max(1, len(samples) - 1), 1000 * gap))
    # What makes the figures trustworthy is the largest gap: an outage shorter than it could go
    # unseen. A loaded machine slows the probe's rate (so the count is only shown above), but a
    # gap of MAX_GAP would take the probe being starved of CPU for that long.
    rep.check(gap < MAX_GAP, "no gap over %.1f s between samples (largest %.0f ms)" % (MAX_GAP, 1000 * gap))
    down_counts = [sum(1 for n in nodes if not up(s["n"][n])) for s in samples]
    worst = max(down_counts, default=0)
    bad = [s for s, c in zip(samples, down_counts) if c > 1]
    detail = ""
    if bad:
        s = bad[0]
        detail = "; first at +%.1f s: %s" % (s["t"] - t0, ", ".join("%s=%s" % (n, s["n"][n][0]) for n in nodes))
    rep.check(worst <= 1, "at no sampled moment more than one node unavailable (max %d at once, %d samples with more than one%s)"
              % (worst, len(bad), detail))
    return nodes, down_counts


def rollout(path, t0, t1, old, new, cause="KV write"):
    rep = Report()
    samples = load(path, t0, t1)
    if not samples:
        rep.check(False, "the probe recorded samples in the window")
        return rep
    nodes, _ = common(samples, rep, t0, t1)
    last = samples[-1]
    rep.check(all(serves(last["n"][n], new) for n in nodes),
              "every node ends on %s (%s)" % (new, ", ".join("%s: %s" % (n, last["n"][n][1] or last["n"][n][0]) for n in nodes)))
    others = sorted({s["n"][n][1] for s in samples for n in nodes if up(s["n"][n])} - {old, new})
    rep.check(not others, "nodes served only %s or %s%s" % (old, new, (" (also: %s)" % others) if others else ""))
    done = []
    for n in nodes:
        t = first_of_final_run(samples, n, new)
        if t is not None:
            done.append(t)
            rep.measured("  %s on %s after" % (n, new.split()[-1]), "%.1f s" % (t - t0))
        rep.measured("  %s downtime" % n, describe_downtime(*downtime(samples, n), t0))
    if len(done) == len(nodes):
        rep.measured("rollout %s -> %s: %s -> last node on %s" % (old.split()[-1], new.split()[-1], cause, new.split()[-1]),
                     "%.1f s" % (max(done) - t0))
    up_samples = sum(1 for s in samples for n in nodes if up(s["n"][n]))
    rep.measured("  fleet availability (node-samples up)", "%.2f %%" % (100.0 * up_samples / (len(samples) * len(nodes))))
    return rep


def broken(path, t0, t1, good, bad):
    rep = Report()
    samples = load(path, t0, t1)
    if not samples:
        rep.check(False, "the probe recorded samples in the window")
        return rep
    nodes, _ = common(samples, rep, t0, t1)
    rep.check(not any(serves(s["n"][n], bad) for s in samples for n in nodes), "no node ever served %s" % bad)
    touched = [n for n in nodes if any(not serves(s["n"][n], good) for s in samples)]
    steady = [n for n in nodes if n not in touched]
    rep.check(len(touched) == 1, "exactly one node left %s, to try %s (left it: %s)" % (good, bad, ", ".join(touched) or "none"))
    rep.info("nodes that never left %s (every sample 200 %s): %s" % (good, good.split()[-1], ", ".join(steady) or "none"))
    rep.check(len(steady) >= len(nodes) - 1, "the other nodes were never unavailable and never served anything but %s" % good)
    last = samples[-1]
    rep.check(all(serves(last["n"][n], good) for n in nodes), "every node ends on %s" % good)
    if touched:
        n = touched[0]
        last_bad = max(s["t"] for s in samples if not serves(s["n"][n], good))
        back = [s["t"] for s in samples if s["t"] > last_bad and serves(s["n"][n], good)]
        first_bad = min(s["t"] for s in samples if not serves(s["n"][n], good))
        total, outages = downtime(samples, n)
        rep.info("%s tried %s: down from +%.1f s to +%.1f s" % (n, bad.split()[-1], first_bad - t0, last_bad - t0))
        if back:
            t_back = back[0]
            rep.measured("rollback: KV write %s -> %s serving %s again" % (bad.split()[-1], n, good.split()[-1]),
                         "%.1f s" % (t_back - t0))
            win = [s for s in samples if s["t"] < t_back]
            ups = sum(1 for s in win for m in nodes if up(s["n"][m]))
            rep.measured("  fleet availability, KV write -> rollback (node-samples up)",
                         "%.2f %% of %d" % (100.0 * ups / max(1, len(win) * len(nodes)), len(win) * len(nodes)))
        rep.measured("  %s downtime (the node that tried %s)" % (n, bad.split()[-1]), describe_downtime(total, outages, t0))
        for m in steady:
            rep.measured("  %s downtime" % m, "0 ms")
    else:
        rep.info("no node tried %s in this window" % bad)
    ups = sum(1 for s in samples for m in nodes if up(s["n"][m]))
    rep.measured("  fleet availability, whole %.0f s window" % (t1 - t0),
                 "%.2f %% of %d" % (100.0 * ups / (len(samples) * len(nodes)), len(samples) * len(nodes)))
    return rep


def back(path, t_exit, t1, node, good, limit):
    rep = Report()
    samples = [s for s in load(path, t_exit, t1) if node in s["n"]]
    t_back = next((s["t"] for s in samples if serves(s["n"][node], good)), None)
    if t_back is None:
        rep.check(False, "%s serves %s again after its broken container exited (no sample did, %d samples)"
                  % (node, good, len(samples)))
        return rep
    rep.measured("fail fast: %s's broken container exited -> %s serves %s again" % (node, node, good.split()[-1]),
                 "%.1f s" % (t_back - t_exit))
    rep.check(t_back - t_exit <= limit, "%s serves %s again within %.0f s of the broken container's first exit (%.1f s)"
              % (node, good, limit, t_back - t_exit))
    return rep


def steer(path, t0, t1, label, final):
    rep = Report()
    samples = load(path, t0, t1)
    if not samples:
        rep.check(False, "the probe recorded samples in the window")
        return rep
    nodes, _ = common(samples, rep, t0, t1)
    last = samples[-1]
    rep.check(all(serves(last["n"][n], final) for n in nodes),
              "every node ends on %s (%s)" % (final, ", ".join("%s: %s" % (n, last["n"][n][1] or last["n"][n][0]) for n in nodes)))
    for n in nodes:
        rep.measured("  %s: %s downtime" % (label, n), describe_downtime(*downtime(samples, n), t0))
    ups = sum(1 for s in samples for n in nodes if up(s["n"][n]))
    rep.measured("  %s: fleet availability (node-samples up)" % label,
                 "%.2f %% of %d" % (100.0 * ups / (len(samples) * len(nodes)), len(samples) * len(nodes)))
    return rep


def outage(path, t0, t1, label):
    rep = Report()
    samples = load(path, t0, t1)
    if not samples:
        rep.check(False, "the probe recorded samples in the window")
        return rep
    for n in sorted(samples[0]["n"]):
        rep.measured("%s: %s downtime" % (label, n), describe_downtime(*downtime(samples, n), t0))
    return rep


def main(argv):
    if len(argv) >= 4 and argv[1] == "probe":
        probe(argv[2], float(argv[3]), argv[4:])
        return 0
    if len(argv) == 6 and argv[1] == "outage":
        rep = outage(argv[2], float(argv[3]), float(argv[4]), argv[5])
        return 1 if rep.failed else 0
    if len(argv) == 7 and argv[1] == "steer":
        rep = steer(argv[2], float(argv[3]), float(argv[4]), argv[5], argv[6])
        return 1 if rep.failed else 0
    if len(argv) == 8 and argv[1] == "back":
        rep = back(argv[2], float(argv[3]), float(argv[4]), argv[5], argv[6], float(argv[7]))
        return 1 if rep.failed else 0
    if len(argv) == 7 and argv[1] in ("rollout", "broken"):
        f = rollout if argv[1] == "rollout" else broken
        rep = f(argv[2], float(argv[3]), float(argv[4]), argv[5], argv[6])
        return 1 if rep.failed else 0
    if len(argv) == 8 and argv[1] == "rollout":
        rep = rollout(argv[2], float(argv[3]), float(argv[4]), argv[5], argv[6], argv[7])
        return 1 if rep.failed else 0
    if len(argv) >= 5 and argv[1] == "follow":
        follow(argv[2], float(argv[3]), argv[4:])
        return 0
    if len(argv) == 7 and argv[1] == "followed":
        rep = followed(argv[2], argv[3], float(argv[4]), float(argv[5]), argv[6])
        return 1 if rep.failed else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
