"""Tests of scout-events.py and choria-reply.py's scout-check."""
import importlib.util
import json
import os
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(HERE, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


events = load("scout-events")
reply = load("choria-reply")

WATCH = (
    "[04:00:01] n1 hoist_blog#check OK: OK - hoist_blog runs r/web:v1, up 9s | restarts=0 uptime=9s health_ms=0\n"
    "[04:00:02] n1 hoist_shop#check OK: OK - hoist_shop runs r/web:v1, up 9s | restarts=0 uptime=9s health_ms=0\n"
)
AFTER = (
    "[04:00:06] n1 hoist_blog#check CRITICAL: CRITICAL - hoist_blog is exited | restarts=0 uptime=0s health_ms=0\n"
    "[04:00:07] n1 hoist_shop#check OK: OK - hoist_shop runs r/web:v1, up 14s | restarts=0 uptime=14s health_ms=0\n"
    "[04:00:11] n1 hoist_blog#check CRITICAL: CRITICAL - no container hoist_blog | restarts=0 uptime=0s health_ms=0\n"
    "[04:00:16] n1 hoist_blog#check OK: OK - hoist_blog runs r/web:v1, up 3s | restarts=0 uptime=3s health_ms=0\n"
    "some log line the CLI printed\n"
)


class Sequence(unittest.TestCase):
    def test_the_last_status_before_the_cursor_then_the_changes_after_it(self):
        data = (WATCH + AFTER).encode()
        self.assertEqual(events.sequence(data, len(WATCH), "hoist_blog"), ["OK", "CRITICAL", "OK"])
        self.assertEqual(events.sequence(data, len(WATCH), "hoist_shop"), ["OK"])

    def test_nothing_before_the_cursor_starts_with_the_first_after(self):
        self.assertEqual(events.sequence(AFTER.encode(), 0, "hoist_blog"), ["CRITICAL", "OK"])

    def test_another_machine_whose_name_contains_this_one_is_not_it(self):
        data = "[04:00:01] n1 hoist_blog2#check CRITICAL: x\n".encode()
        self.assertEqual(events.sequence(data, 0, "hoist_blog"), [])

    def test_starts(self):
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), "scout-events-test-%d.log" % os.getpid())
        try:
            with open(path, "w") as f:
                f.write(WATCH + AFTER)
            self.assertEqual(events.main(["starts", path, str(len(WATCH)), "hoist_blog", "OK", "CRITICAL", "OK"]), 0)
            self.assertEqual(events.main(["starts", path, str(len(WATCH)), "hoist_blog", "CRITICAL"]), 1)
            self.assertEqual(events.main(["starts", path, "0", "hoist_shop", "OK", "CRITICAL"]), 1)
        finally:
            os.remove(path)


SCRAPE = """# HELP choria_machine_nagios_watcher_status Choria Nagios Check Status
# TYPE choria_machine_nagios_watcher_status gauge
choria_machine_nagios_watcher_status{name="hoist_blog",status="OK"} 0
choria_machine_nagios_watcher_status{name="hoist_shop",status="CRITICAL"} 2
choria_machine_nagios_watcher_last_run_seconds{name="hoist_blog"} 1.764734e+09
choria_machine_nagios_watcher_checks_count{name="hoist_blog"} 12
choria_machine_nagios_watcher_last_run_seconds{name="hoist_shop"} 1.764734e+09
"""


class Metric(unittest.TestCase):
    def test_status_with_its_code_and_the_other_series(self):
        self.assertTrue(events.metric_ok(SCRAPE, "hoist_blog", "OK")[0])
        self.assertFalse(events.metric_ok(SCRAPE, "hoist_blog", "CRITICAL")[0])

    def test_a_missing_series_fails(self):
        # hoist_shop has no checks_count
        self.assertFalse(events.metric_ok(SCRAPE, "hoist_shop", "CRITICAL")[0])
        self.assertFalse(events.metric_ok(SCRAPE, "hoist_news", "OK")[0])


def checks(*items, statuscode=0):
    return json.dumps({"replies": [{"sender": "n1", "statuscode": statuscode, "statusmsg": "OK", "data": {"checks": list(items)}}]})


class ScoutCheck(unittest.TestCase):
    def test_the_state_and_the_status_of_the_named_check(self):
        text = checks({"name": "hoist_shop", "state": "RUN", "status": {"status": "OK"}},
                      {"name": "hoist_blog", "state": "REMEDIATE", "status": {"status": "CRITICAL"}})
        self.assertEqual(reply.scout_check(text, "hoist_blog"), (0, "REMEDIATE CRITICAL"))

    def test_a_check_that_never_ran(self):
        self.assertEqual(reply.scout_check(checks({"name": "hoist_blog", "state": "START"}), "hoist_blog"), (0, "START NOTCHECKED"))

    def test_missing_check_is_1_and_no_reply_is_2(self):
        self.assertEqual(reply.scout_check(checks(), "hoist_blog"), (1, None))
        self.assertEqual(reply.scout_check("", "hoist_blog"), (2, None))
        self.assertEqual(reply.scout_check(checks({"name": "hoist_blog"}, statuscode=1), "hoist_blog"), (1, None))


if __name__ == "__main__":
    unittest.main()
