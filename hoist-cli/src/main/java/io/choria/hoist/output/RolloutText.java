package io.choria.hoist.output;

import com.google.gson.JsonParser;
import io.choria.hoist.rollout.FleetView;
import io.choria.hoist.rollout.NodeReport;
import io.choria.hoist.rollout.RolloutRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code hoist-cli rollout status}: the table, the summary, the progress line and the JSON, of one {@link FleetView}. */
public final class RolloutText {
    private RolloutText() {
    }

    /** The headline: what is rolled out, how, and where it stands. */
    public static String headline(FleetView v) {
        StringBuilder sb = new StringBuilder(v.container()).append(": ");
        RolloutRecord r = v.rollout();
        if (r != null) {
            sb.append("rollout ").append(r.id()).append(" of ").append(r.tag()).append(" (from ")
                    .append(r.from() == null ? "image_tag" : r.from()).append(r.canary() > 0 ? ", canary " + r.canary() : "")
                    .append(", ").append(r.phase()).append(r.deadline() != null ? ", deadline " + r.deadline() : "")
                    .append(r.autoRevert() ? ", auto-revert" : "").append(")");
        } else {
            sb.append("tag ").append(v.target() == null ? "(not set: image_tag)" : v.target());
        }
        sb.append(": ").append(v.verdict());
        if (r != null && r.outcome() != null) {
            sb.append(" (").append(r.outcome()).append(")");
        }
        return sb.toString();
    }

    /** The table per node, then the headline and the summary. */
    public static String table(FleetView v, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "TAG", "HEALTHY", "SINCE", "STATE", "LAST ERROR"});
        for (NodeReport n : v.nodes()) {
            rows.add(new String[] {n.identity(), n.tag() == null ? "-" : n.tag(), n.healthy() ? "yes" : "no", ago(n.since(), now),
                n.state() == null ? "-" : n.state(), n.error() == null ? "" : cut(n.error(), 80)});
        }
        int[] w = new int[6];
        for (String[] row : rows) {
            for (int i = 0; i < 6; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 6; i++) {
                line.append(i < 5 ? String.format("%-" + w[i] + "s  ", row[i]) : row[i]);
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        sb.append(System.lineSeparator()).append(headline(v)).append(System.lineSeparator());
        sb.append("  ").append(v.summary()).append(System.lineSeparator());
        return sb.toString();
    }

    /** One progress line: a bar on a terminal, plain words elsewhere. */
    public static String progress(FleetView v, boolean bar, Instant now) {
        String counts = v.done() + "/" + v.wanted();
        String goal = v.rollout() != null && v.rollout().aborted() ? v.rollout().previous("image_tag") : v.target();
        if (!bar) {
            return now.toString().substring(11, 19) + " " + v.verdict() + ": " + counts + " on " + goal + "; " + v.summary();
        }
        int width = 24;
        int filled = v.wanted() == 0 ? 0 : width * v.done() / v.wanted();
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + counts + " " + v.verdict() + "  " + v.summary();
    }

    public static Map<String, Object> json(FleetView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", v.container());
        m.put("tag", v.target());
        m.put("failed_marker", v.marker());
        m.put("rollout", v.rollout() == null ? null : JsonParser.parseString(v.rollout().toJson()));
        m.put("verdict", v.verdict().name().toLowerCase(Locale.ROOT));
        m.put("summary", v.summary());
        m.put("done", v.done());
        m.put("wanted", v.wanted());
        m.put("nodes", v.nodes().stream().map(n -> JsonParser.parseString(n.toJson())).toList());
        return m;
    }

    private static String ago(String since, Instant now) {
        if (since == null) {
            return "-";
        }
        try {
            long s = Math.max(0, Duration.between(Instant.parse(since), now).getSeconds());
            return s < 120 ? s + "s" : s < 7200 ? s / 60 + "m" : s / 3600 + "h";
        } catch (RuntimeException e) {
            return since;
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
