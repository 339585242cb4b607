"""Tests of fleet-probe.py's arithmetic: downtime, outages, rollout and broken-release verdicts."""
import contextlib
import importlib.util
import io
import json
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("fleet_probe", os.path.join(HERE, "fleet-probe.py"))
probe = importlib.util.module_from_spec(spec)
spec.loader.exec_module(probe)

V1, V2, V3 = "hoist-web v1", "hoist-web v2", "hoist-web v3"
DOWN = [0, ""]


def up(version):
    return [200, version]


def samples(*rows, t0=100.0, step=0.1):
    """One sample per row; a row maps node -> answer."""
    return [{"t": round(t0 + i * step, 3), "n": row} for i, row in enumerate(rows)]


def run(fn, rows, *args):
    """Write rows to a probe file and run an analysis on it: (report, printed lines)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for s in rows:
            f.write(json.dumps(s) + "\n")
        f.write('{"t": 1')  # a line cut short by SIGTERM is skipped
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            rep = fn(f.name, rows[0]["t"], rows[-1]["t"], *args)
    finally:
        os.unlink(f.name)
    return rep, out.getvalue().splitlines()


class Downtime(unittest.TestCase):
    def test_a_node_always_up_has_no_downtime(self):
        s = samples(*[{"a": up(V1)}] * 5)
        self.assertEqual(probe.downtime(s, "a"), (0.0, []))

    def test_each_down_sample_counts_until_the_next_sample(self):
        s = samples({"a": up(V1)}, {"a": DOWN}, {"a": DOWN}, {"a": up(V2)}, {"a": up(V2)})
        total, outages = probe.downtime(s, "a")
        self.assertAlmostEqual(total, 0.2, places=6)
        self.assertEqual(outages, [[100.1, 100.3]])

    def test_two_outages_are_two_spans(self):
        s = samples({"a": DOWN}, {"a": up(V1)}, {"a": DOWN}, {"a": up(V1)})
        total, outages = probe.downtime(s, "a")
        self.assertAlmostEqual(total, 0.2, places=6)
        self.assertEqual(outages, [[100.0, 100.1], [100.2, 100.3]])

    def test_an_outage_at_the_end_lasts_one_interval_and_has_no_end(self):
        s = samples({"a": up(V1)}, {"a": DOWN})
        total, outages = probe.downtime(s, "a")
        self.assertAlmostEqual(total, probe.INTERVAL, places=6)
        self.assertEqual(outages, [[100.1, None]])

    def test_an_http_error_is_down(self):
        s = samples({"a": [503, ""]}, {"a": up(V1)})
        self.assertAlmostEqual(probe.downtime(s, "a")[0], 0.1, places=6)

    def test_describe_names_the_spans_relative_to_the_write(self):
        self.assertEqual(probe.describe_downtime(0.2, [[100.1, 100.3]], 100.0), "200 ms (1 outage: +0.1..+0.3 s)")
        self.assertEqual(probe.describe_downtime(0.0, [], 100.0), "0 ms (0 outages)")


class FinalRun(unittest.TestCase):
    def test_the_first_sample_of_the_last_unbroken_run(self):
        s = samples({"a": up(V2)}, {"a": DOWN}, {"a": up(V2)}, {"a": up(V2)})
        self.assertEqual(probe.first_of_final_run(s, "a", V2), 100.2)

    def test_none_when_the_node_does_not_end_on_the_version(self):
        s = samples({"a": up(V2)}, {"a": up(V1)})
        self.assertIsNone(probe.first_of_final_run(s, "a", V2))


def failed_lines(lines):
    return [l for l in lines if l.startswith("FAILED ")]


class Rollout(unittest.TestCase):
    def test_one_node_at_a_time_passes_and_measures_each_node(self):
        rows = samples(
            {"a": up(V1), "b": up(V1)}, {"a": DOWN, "b": up(V1)}, {"a": up(V2), "b": up(V1)},
            {"a": up(V2), "b": DOWN}, {"a": up(V2), "b": up(V2)}, {"a": up(V2), "b": up(V2)})
        rep, lines = run(probe.rollout, rows, V1, V2)
        self.assertEqual(failed_lines(lines), [])
        self.assertEqual(rep.failed, 0)
        self.assertIn("measured   a on v2 after|0.2 s", lines)
        self.assertIn("measured   b on v2 after|0.4 s", lines)
        self.assertIn("measured rollout v1 -> v2: KV write -> last node on v2|0.4 s", lines)
        self.assertIn("measured   fleet availability (node-samples up)|83.33 %", lines)

    def test_two_nodes_down_at_once_fails(self):
        rows = samples({"a": up(V1), "b": up(V1)}, {"a": DOWN, "b": DOWN}, {"a": up(V2), "b": up(V2)})
        rep, lines = run(probe.rollout, rows, V1, V2)
        self.assertEqual(rep.failed, 1)
        self.assertTrue(failed_lines(lines)[0].startswith("FAILED at no sampled moment more than one node unavailable (max 2"))

    def test_a_node_left_on_the_old_version_fails(self):
        rows = samples({"a": up(V1), "b": up(V1)}, {"a": up(V2), "b": up(V1)})
        rep, lines = run(probe.rollout, rows, V1, V2)
        self.assertEqual(rep.failed, 1)
        self.assertIn("every node ends on hoist-web v2", failed_lines(lines)[0])

    def test_a_third_version_fails(self):
        rows = samples({"a": up(V1)}, {"a": up(V3)}, {"a": up(V2)})
        rep, lines = run(probe.rollout, rows, V1, V2)
        self.assertEqual(rep.failed, 1)
        self.assertIn("also: ['hoist-web v3']", failed_lines(lines)[0])

    def test_a_gap_in_the_samples_fails(self):
        rows = samples({"a": up(V1)}, {"a": up(V2)}, step=probe.MAX_GAP + 0.1)
        rep, lines = run(probe.rollout, rows, V1, V2)
        self.assertEqual(rep.failed, 1)
        self.assertIn("no gap over 1.5 s", failed_lines(lines)[0])

    def test_no_sample_in_the_window_fails(self):
        out = io.StringIO()
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as f, contextlib.redirect_stdout(out):
            rep = probe.rollout(f.name, 0, 1, V1, V2)
        self.assertEqual(rep.failed, 1)


class Broken(unittest.TestCase):
    def test_one_node_tries_and_rolls_back_the_others_stay(self):
        rows = samples(
            {"a": up(V2), "b": up(V2)}, {"a": DOWN, "b": up(V2)}, {"a": DOWN, "b": up(V2)},
            {"a": up(V2), "b": up(V2)}, {"a": up(V2), "b": up(V2)})
        rep, lines = run(probe.broken, rows, V2, V3)
        self.assertEqual(failed_lines(lines), [])
        self.assertIn("measured rollback: KV write v3 -> a serving v2 again|0.3 s", lines)
        self.assertIn("measured   a downtime (the node that tried v3)|200 ms (1 outage: +0.1..+0.3 s)", lines)
        self.assertIn("measured   b downtime|0 ms", lines)

    def test_a_node_serving_the_broken_release_fails(self):
        rows = samples({"a": up(V2)}, {"a": up(V3)}, {"a": up(V2)})
        rep, lines = run(probe.broken, rows, V2, V3)
        self.assertIn("FAILED no node ever served hoist-web v3", lines)

    def test_two_nodes_trying_it_fails(self):
        rows = samples({"a": up(V2), "b": up(V2), "c": up(V2)}, {"a": DOWN, "b": up(V2), "c": up(V2)},
                       {"a": up(V2), "b": DOWN, "c": up(V2)}, {"a": up(V2), "b": up(V2), "c": up(V2)})
        rep, lines = run(probe.broken, rows, V2, V3)
        self.assertTrue(any(l.startswith("FAILED exactly one node left") for l in lines))


class Back(unittest.TestCase):
    def test_measures_from_the_exit_to_the_first_sample_serving_the_good_version(self):
        rows = samples({"a": DOWN}, {"a": DOWN}, {"a": up(V2)}, {"a": up(V2)}, t0=100.0, step=0.5)
        rep, lines = run(probe.back, rows, "a", V2, 3)
        self.assertEqual(rep.failed, 0)
        self.assertIn("measured fail fast: a's broken container exited -> a serves v2 again|1.0 s", lines)

    def test_later_than_the_limit_fails(self):
        rows = samples(*([{"a": DOWN}] * 8 + [{"a": up(V2)}]), t0=100.0, step=0.5)
        rep, lines = run(probe.back, rows, "a", V2, 3)
        self.assertEqual(rep.failed, 1)
        self.assertTrue(any(line.startswith("FAILED a serves hoist-web v2 again within 3 s") for line in lines), lines)

    def test_never_back_fails(self):
        rep, _ = run(probe.back, samples({"a": DOWN}, {"a": up(V3)}), "a", V2, 3)
        self.assertEqual(rep.failed, 1)


class Steer(unittest.TestCase):
    def test_measures_each_node_and_the_fleet_and_checks_the_end(self):
        rows = samples({"a": up(V1), "b": up(V1)}, {"a": DOWN, "b": up(V1)}, {"a": up(V2), "b": up(V1)}, {"a": up(V2), "b": up(V2)})
        rep, lines = run(probe.steer, rows, "canary", V2)
        self.assertEqual(rep.failed, 0, lines)
        self.assertIn("measured   canary: a downtime|100 ms (1 outage: +0.1..+0.2 s)", lines)
        self.assertIn("measured   canary: fleet availability (node-samples up)|87.50 % of 8", lines)

    def test_a_node_left_elsewhere_or_two_down_fails(self):
        rows = samples({"a": DOWN, "b": DOWN}, {"a": up(V2), "b": up(V1)})
        rep, _ = run(probe.steer, rows, "abort", V2)
        self.assertEqual(rep.failed, 2)


class Outage(unittest.TestCase):
    def test_measures_each_node_from_the_fault(self):
        rows = samples({"web": up(V1)}, {"web": DOWN}, {"web": DOWN}, {"web": DOWN}, {"web": up(V1)})
        rep, lines = run(probe.outage, rows, "dockerd restart")
        self.assertEqual(rep.failed, 0)
        self.assertEqual(lines, ["measured dockerd restart: web downtime|300 ms (1 outage: +0.1..+0.4 s)"])

    def test_no_downtime_is_0_ms(self):
        rep, lines = run(probe.outage, samples({"web": up(V1)}, {"web": up(V1)}), "nats stopped")
        self.assertEqual(lines, ["measured nats stopped: web downtime|0 ms (0 outages)"])


if __name__ == "__main__":
    unittest.main()


class FollowedTest(unittest.TestCase):
    """The registry-following probe's verdict (issue 27): enough requests, none failed."""

    def verdict(self, requests, probe_rows=None):
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            for r in requests:
                f.write(json.dumps(r) + "\n")
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as p:
            for s in probe_rows or []:
                p.write(json.dumps(s) + "\n")
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                rep = probe.followed(f.name, p.name, 100.0, 200.0, "case")
        finally:
            os.unlink(f.name)
            os.unlink(p.name)
        return rep, out.getvalue().splitlines()

    def requests(self, n, failed_at=()):
        rows = [{"t": 100.0 + i * 0.02, "ep": "127.0.0.1:%d" % (8001 + i % 3), "s": 0 if i in failed_at else 200} for i in range(n)]
        return [{"t": 100.0, "view": ["127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003"]}] + rows

    def test_passes_with_enough_requests_and_none_failed(self):
        rep, lines = self.verdict(self.requests(600), samples({"a": up(V1)}, {"a": DOWN}, {"a": up(V1)}))
        self.assertEqual(rep.failed, 0, lines)
        self.assertIn("measured case: registry-following probe's failed requests; unregistered probe's node downtime|0 of 600; 100 ms", lines)

    def test_one_failed_request_fails_and_says_when_and_where(self):
        rep, lines = self.verdict(self.requests(600, failed_at=(300,)))
        self.assertEqual(rep.failed, 1)
        self.assertTrue(any(l.startswith("FAILED case: no request") and "1 of 600" in l and "+6.00 s to 127.0.0.1:8001" in l
                            for l in lines), lines)

    def test_the_lead_before_each_outage_is_measured_from_the_last_withdrawal_the_client_saw(self):
        views = [{"t": 101.0, "view": ["127.0.0.1:8002", "127.0.0.1:8003"]},   # 8001 withdrawn at +1.0
                 {"t": 105.0, "view": ["127.0.0.1:8001", "127.0.0.1:8002", "127.0.0.1:8003"]}]  # back: not a withdrawal
        rows = [{"a": up(V1)}] * 30 + [{"a": DOWN}] + [{"a": up(V2)}] * 5   # a down at +3.0 s
        rep, lines = self.verdict(self.requests(600) + views, samples(*rows))
        self.assertEqual(rep.failed, 0, lines)
        self.assertIn("measured case: the registry-following client stopped using a node this long before its outage"
                      "|min 2.00 s, median 2.00 s (1 outages)", lines)

    def test_an_outage_without_a_withdrawal_before_it_has_no_lead(self):
        self.assertEqual(probe.lead_times([150.0], [140.0, 190.0]), [])
        self.assertEqual(probe.lead_times([150.0, 152.5], [153.0]), [0.5])

    def test_too_few_requests_fail(self):
        rep, lines = self.verdict(self.requests(499))
        self.assertEqual(rep.failed, 1)
        self.assertTrue(any(l.startswith("FAILED case: the registry-following probe sent at least 500") for l in lines), lines)

    def test_nowhere_to_send_is_a_failed_request(self):
        rows = self.requests(600) + [{"t": 150.0, "ep": None, "s": 0}]
        rep, _ = self.verdict(rows)
        self.assertEqual(rep.failed, 1)


class FollowTest(unittest.TestCase):
    """follow: reads the endpoint lists a command prints and sends requests round robin to the last one."""

    def test_follows_the_lists_it_is_given(self):
        import http.server
        import threading
        import sys
        servers = []
        for _ in range(2):
            srv = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
            srv.RequestHandlerClass.log_message = lambda *a: None
            threading.Thread(target=srv.serve_forever, daemon=True).start()
            servers.append(srv)
        a, b = ("127.0.0.1:%d" % s.server_address[1] for s in servers)
        lists = [[{"address": "127.0.0.1", "port": s.server_address[1]} for s in servers], [{"address": "127.0.0.1", "port": servers[1].server_address[1]}]]
        script = "import json, time\nfor l in %r:\n    print(json.dumps(l), flush=True)\n    time.sleep(0.5)\n" % lists
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            path = f.name
        try:
            probe.follow(path, 5, [sys.executable, "-c", script])
            with open(path) as f:
                rows = [json.loads(l) for l in f]
        finally:
            os.unlink(path)
            for s in servers:
                s.shutdown()
        views = [r["view"] for r in rows if "view" in r]
        self.assertEqual(views, [[a, b], [b]])
        sent = [r for r in rows if "ep" in r]
        self.assertTrue(all(r["s"] == 200 for r in sent), sent[:5])
        second = rows.index({"t": next(r["t"] for r in rows if r.get("view") == [b]), "view": [b]})
        self.assertEqual({r["ep"] for r in rows[1:second] if "ep" in r}, {a, b})
        self.assertEqual({r["ep"] for r in rows[second:] if "ep" in r}, {b})
