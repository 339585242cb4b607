"""Tests of server-log.py."""
import contextlib
import importlib.util
import io
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("server_log", os.path.join(HERE, "server-log.py"))
log = importlib.util.module_from_spec(spec)
spec.loader.exec_module(log)

# Lines as go-choria 0.30.2 writes them (e2e and the experiment of issue 26).
LOAD = (b'{"component":"aagent","level":"warning","msg":"Loaded Autonomous Agent hoist_quiet version 1.0.0 from '
        b'/s/hoist_quiet (3ab1)","time":"2026-12-07T06:15:54Z"}\n')
FIRST = (b'{"component":"machine","level":"error","msg":"hoist_quiet#initial_check: Check failed: exit status 1",'
         b'"time":"2026-12-07T06:15:58Z"}\n')
RUN = (b'{"component":"machine","level":"info","msg":"hoist_quiet transitioned via event started: from REMEDIATE into RUN",'
       b'"time":"2026-12-07T06:16:10Z"}\n')
CHECK = (b'{"component":"machine","level":"info","msg":"hoist_quiet#check: Running /bin/hoist-cli check --nagios quiet",'
         b'"time":"2026-12-07T06:17:10Z"}\n')
OTHER = (b'{"component":"machine","level":"warning","msg":"hoist_quiet2#machine: Could not fire \'OK\' event while in RUN",'
         b'"time":"2026-12-07T06:17:11Z"}\n')
BLOG = (b'{"component":"machine","level":"warning","msg":"hoist_blog#machine: Could not fire \'OK\' event while in RUN",'
        b'"time":"2026-12-07T06:17:12Z"}\n')
WARN = (b'{"component":"machine","level":"warning","msg":"hoist_quiet#machine: Could not fire \'OK\' event while in RUN",'
        b'"time":"2026-12-07T06:18:10Z"}\n')
CRIT = (b'{"component":"machine","level":"info","msg":"hoist_blog transitioned via event CRITICAL: from RUN into REMEDIATE",'
        b'"time":"2026-12-07T06:18:14Z"}\n')


class Problems(unittest.TestCase):
    def test_nothing_loud_after_the_cursor_is_none(self):
        data = LOAD + FIRST + RUN + CHECK + OTHER + BLOG
        cursor = log.after(data, r"hoist_quiet transitioned via event [a-z_]+: from [A-Z_]+ into RUN")
        self.assertEqual(cursor, len(LOAD + FIRST + RUN))
        self.assertEqual(log.problems(data, cursor, "hoist_quiet"), [])

    def test_the_machines_warnings_and_errors_before_the_cursor_are_not_counted(self):
        data = LOAD + FIRST + RUN + CHECK
        self.assertEqual(len(log.problems(data, 0, "hoist_quiet")), 2)
        self.assertEqual(log.problems(data, len(LOAD + FIRST + RUN), "hoist_quiet"), [])

    def test_a_warning_after_the_cursor_is_counted(self):
        data = RUN + CHECK + WARN
        found = log.problems(data, len(RUN), "hoist_quiet")
        self.assertEqual([r["msg"] for r in found], ["hoist_quiet#machine: Could not fire 'OK' event while in RUN"])

    def test_another_machine_whose_name_starts_alike_is_not_this_one(self):
        self.assertEqual(log.problems(OTHER + BLOG, 0, "hoist_quiet"), [])

    def test_lines_that_are_not_json_are_skipped(self):
        data = b"starting the server\n" + WARN + b"{not json\n"
        self.assertEqual(len(log.problems(data, 0, "hoist_quiet")), 1)

    def test_no_line_with_the_text_has_no_cursor(self):
        self.assertIsNone(log.after(LOAD + FIRST, "into RUN"))

    def test_count_counts_the_matching_lines_after_the_cursor(self):
        data = CHECK + RUN + CHECK + CHECK + WARN
        self.assertEqual(log.count(data, len(CHECK + RUN), r"^hoist_quiet#check: Running "), 2)
        self.assertEqual(log.count(data, 0, r"^hoist_blog#check: Running "), 0)

    def test_the_command_exits_1_and_counts_when_there_are_problems(self):
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(RUN + WARN)
        try:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                self.assertEqual(log.main(["server-log.py", "problems", f.name, str(len(RUN)), "hoist_quiet"]), 1)
            self.assertTrue(out.getvalue().endswith("1 warning or error lines of hoist_quiet\n"))
            with contextlib.redirect_stdout(io.StringIO()):
                self.assertEqual(log.main(["server-log.py", "problems", f.name, str(len(RUN + WARN)), "hoist_quiet"]), 0)
        finally:
            os.unlink(f.name)


class Time(unittest.TestCase):
    def test_the_first_matching_line_after_the_cursor(self):
        data = RUN + CRIT + CRIT
        self.assertEqual(log.first_time(data, 0, "hoist_blog transitioned via event CRITICAL"), 1796624294)

    def test_none_when_no_line_matches(self):
        self.assertIsNone(log.first_time(RUN, 0, "hoist_blog transitioned via event CRITICAL"))

    def test_logrus_utc_stamps(self):
        self.assertEqual(log.unix("1970-01-01T00:01:00Z"), 60)


if __name__ == "__main__":
    unittest.main()
