package io.choria.hoist.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.choria.hoist.HoistException;
import io.choria.hoist.spec.SpecParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The shared corpus (spec/fixtures/contract/values.yaml) judged by hoist-cli: each row's
 * {@code {name, image, KEY: VALUE}} goes through {@link SpecParser#parse} as container.json text, and
 * must be accepted exactly when the row says valid. A refusal is a {@link HoistException} (bad
 * input, exit 2); anything else thrown is a crash, and counts as a disagreement too. The rows of
 * the Hiera-only keys (ensure, kv_layout, register_ports, drain_time) are not container.json's, so not judged here.
 */
class ContractCorpusTest {
    private static final Set<String> HIERA_ONLY = Set.of("ensure", "kv_layout", "register_ports", "drain_time");
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    private record Verdict(int number, Map<String, Object> row, boolean valid, String reason) {
    }

    private static List<Verdict> judge() {
        List<Verdict> out = new ArrayList<>();
        List<Map<String, Object>> rows = ContractFiles.rows();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            String key = (String) row.get("key");
            List<?> only = (List<?>) row.get("only");
            if (HIERA_ONLY.contains(key) || only != null && !only.contains("java")) {
                continue;
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", "corpus");
            doc.put("image", "example/app");
            if (row.get("with") instanceof Map<?, ?> with) {
                with.forEach((k, v) -> doc.put((String) k, v));
            }
            if (Boolean.TRUE.equals(row.get("absent"))) {
                doc.remove(key);
            } else {
                doc.put(key, row.get("value"));
            }
            String json = GSON.toJson(doc);
            try {
                SpecParser.parse(json, "corpus row " + (i + 1));
                out.add(new Verdict(i + 1, row, true, "parsed"));
            } catch (HoistException e) {
                out.add(new Verdict(i + 1, row, false, e.getMessage()));
            } catch (RuntimeException | StackOverflowError e) {
                // Never a verdict: a crash disagrees with every row.
                out.add(new Verdict(i + 1, row, !(Boolean) row.get("valid"), "crashed: " + e));
            }
        }
        return out;
    }

    @Test
    void judges_at_least_150_rows_covering_every_key_of_the_schema() {
        List<Verdict> judged = judge();
        Set<String> keys = new TreeSet<>();
        judged.forEach(v -> keys.add((String) v.row().get("key")));
        assertThat(judged).hasSizeGreaterThanOrEqualTo(150);
        assertThat(keys).containsAll(ContractFiles.schema().getAsJsonObject("properties").keySet());
    }

    @Test
    void agrees_with_every_row() {
        List<Verdict> judged = judge();
        List<String> wrong = new ArrayList<>();
        for (Verdict v : judged) {
            boolean expected = (Boolean) v.row().get("valid");
            if (v.valid() != expected) {
                String value = Boolean.TRUE.equals(v.row().get("absent")) ? "(absent)" : GSON.toJson(v.row().get("value"));
                wrong.add("row " + v.number() + ": " + v.row().get("key") + " = " + value.substring(0, Math.min(100, value.length()))
                        + ": expected " + (expected ? "valid" : "invalid") + ", hoist-cli says " + (v.valid() ? "valid" : "invalid")
                        + " (" + v.row().get("why") + "): " + v.reason());
            }
        }
        assertThat(wrong).as("hoist-cli disagrees with %d of %d corpus rows:%n%s", wrong.size(), judged.size(), String.join("\n", wrong))
                .isEmpty();
    }
}
