package io.choria.hoist.output;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.choria.hoist.docker.EngineApi;
import io.choria.hoist.spec.Tags;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders result objects for stdout: human text, or JSON with --json. */
public final class Render {
    private static final Gson GSON = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private Render() {
    }

    public static String json(Object o) {
        return GSON.toJson(o);
    }

    /** Masks environment values: KEY=*** (values may be secrets). */
    public static List<String> maskEnvironment(List<String> env) {
        List<String> out = new ArrayList<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            out.add(eq < 0 ? e : e.substring(0, eq) + "=***");
        }
        return out;
    }

    /** tag NAME --history as a table, oldest first; nothing when there are no values. Values are made printable. */
    public static String tagHistoryText(TagHistoryView h) {
        if (h.history().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format("%-9s %-20s %-9s %s%n", "REVISION", "TIME", "OPERATION", "VALUE"));
        for (TagHistoryView.Row r : h.history()) {
            String time = r.time() == null ? "" : Instant.parse(r.time()).truncatedTo(ChronoUnit.SECONDS).toString();
            sb.append(String.format("%-9d %-20s %-9s %s%n", r.revision(), time, r.operation(), r.value() == null ? "" : Tags.printable(r.value())));
        }
        return sb.toString();
    }

    /** Container options on one line: {@code memory=512m cpus=1.5 cap_add=NET_ADMIN,SYS_TIME labels={team=web}}; control characters escaped. */
    static String options(Map<String, Object> options) {
        List<String> out = new ArrayList<>();
        options.forEach((k, v) -> {
            String value = v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
                    : v instanceof Map<?, ?> m ? m.toString() : String.valueOf(v);
            StringBuilder sb = new StringBuilder(k).append('=');
            value.chars().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : String.valueOf((char) c)));
            out.add(sb.toString());
        });
        return String.join(" ", out);
    }

    public static String statusText(List<ContainerStatus> all) {
        return statusText(all, null);
    }

    /** The containers, then one line on the Engine when it is known: {@code Engine: Docker 26.1.5, API 1.44 (...)}. */
    public static String statusText(List<ContainerStatus> all, EngineApi engine) {
        String engineLine = engine == null ? "" : "Engine: " + engine.describe() + "\n";
        if (all.isEmpty()) {
            return "No Hoist containers\n" + engineLine;
        }
        StringBuilder sb = new StringBuilder();
        for (ContainerStatus s : all) {
            Map<String, Object> rows = new LinkedHashMap<>();
            rows.put("State", s.state() + (s.health() == null || "none".equals(s.health()) ? "" : " (" + s.health() + ")"));
            rows.put("Image", s.image());
            rows.put("Image ID", s.imageId());
            rows.put("Digest", s.digest());
            rows.put("Desired", s.desired() == null ? null : s.desired() + " (from " + s.desiredSource() + ")");
            rows.put("KV tag", s.kvError() != null ? s.kvError() : s.kvTag());
            rows.put("Started", s.startedAt());
            rows.put("Restarts", s.restartCount());
            rows.put("Environment", s.environment() == null || s.environment().isEmpty() ? null : String.join(" ", s.environment()));
            rows.put("Options", s.options() == null || s.options().isEmpty() ? null : options(s.options()));
            rows.put("Problem", s.problem());
            rows.put("Last good", s.lastGood());
            rows.put("Failed tag", s.failedTag() == null ? null : s.failedTag() + " at " + s.failedAt() + ": " + s.failedReason());
            rows.put("Last failure", s.lastFailure());
            rows.put("Last log", s.lastLog());
            sb.append(s.name()).append(s.container() == null ? "" : " (" + s.container() + ")").append('\n');
            rows.forEach((k, v) -> {
                if (v != null) {
                    sb.append(String.format("  %-12s %s%n", k + ":", v));
                }
            });
            sb.append('\n');
        }
        return sb.append(engineLine).toString();
    }
}
