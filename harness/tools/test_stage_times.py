"""Tests of stage-times.py: the table of stage times generated from a run's results."""
import importlib.util
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("stage_times", os.path.join(HERE, "stage-times.py"))
st = importlib.util.module_from_spec(spec)
spec.loader.exec_module(st)

RESULTS = ("# 2026-12-07, commit abc1234, --jobs 4 on 2 cores, 900 s wall\n"
           "tools\tPASS\t75 passed, 0 failed\t3\t2\n"
           "fleet\tPASS\t93 passed, 0 failed\t438\t61\n"
           "e2e\tFAIL (exit 1)\t70 passed, 1 failed\t231\t40\n")
PAGE = "# harness\n\nbefore\n\n%s\nold\n%s\n\nafter\n" % (st.BEGIN, st.END)


class Write(unittest.TestCase):
    def written(self, page=PAGE, results=RESULTS):
        with tempfile.TemporaryDirectory() as d:
            p, r = os.path.join(d, "README.md"), os.path.join(d, "run.tsv")
            open(p, "w").write(page)
            open(r, "w").write(results)
            self.assertEqual(st.main(["write", p, r]), 0)
            return open(p).read()

    def test_the_table_replaces_what_stood_between_the_markers_and_nothing_else(self):
        out = self.written()
        self.assertTrue(out.startswith("# harness\n\nbefore\n\n" + st.BEGIN))
        self.assertTrue(out.endswith(st.END + "\n\nafter\n"))
        self.assertNotIn("old", out)

    def test_rows_longest_first_with_the_run_and_its_cpu_total(self):
        out = self.written()
        rows = [l for l in out.splitlines() if l.startswith("| `")]
        self.assertEqual(rows, ["| `fleet` | PASS | 93 passed, 0 failed | 438 | 61 |",
                                "| `e2e` | FAIL (exit 1) | 70 passed, 1 failed | 231 | 40 |",
                                "| `tools` | PASS | 75 passed, 0 failed | 3 | 2 |"])
        self.assertIn("From the run of 2026-12-07, commit abc1234, --jobs 4 on 2 cores, 900 s wall; 103 CPU-s", out)

    def test_writing_twice_gives_the_same_page(self):
        once = self.written()
        self.assertEqual(self.written(page=once), once)

    def test_results_without_the_run_line_are_refused(self):
        with self.assertRaises(ValueError):
            st.read_results("tools\tPASS\t1 passed, 0 failed\t3\t2\n")

    def test_a_row_with_a_missing_or_odd_field_is_refused(self):
        for bad in ("tools\tPASS\t3\t2", "tools\tPASS\tx\tthree\t2", "tools\tPASS\tx\t3\t2.5"):
            with self.assertRaises(ValueError, msg=bad):
                st.read_results("# run\n" + bad + "\n")


class Read(unittest.TestCase):
    page = PAGE.replace("%s\nold\n%s" % (st.BEGIN, st.END), st.render(*st.read_results(RESULTS)))

    def test_seconds_of_a_stage(self):
        self.assertEqual(st.table_seconds(self.page), {"tools": 3, "fleet": 438, "e2e": 231})

    def test_a_page_without_markers_or_with_two_tables_is_refused(self):
        for bad in ("no table", self.page + self.page, "%s\n%s" % (st.END, st.BEGIN)):
            with self.assertRaises(ValueError):
                st.table_seconds(bad)

    def test_check_passes_only_for_exactly_the_stages_run(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "README.md")
            open(p, "w").write(self.page)
            self.assertEqual(st.main(["check", p, "tools", "fleet", "e2e"]), 0)
            self.assertEqual(st.main(["check", p, "tools", "fleet"]), 1)
            self.assertEqual(st.main(["check", p, "tools", "fleet", "e2e", "apply"]), 1)
            self.assertEqual(st.main(["seconds", p, "apply"]), 1)


if __name__ == "__main__":
    unittest.main()
