package io.choria.hoist.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Gson;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.Grammar;
import io.choria.hoist.spec.ImagePolicy;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * SpecParser is schema/container-spec.v1.json: the same fields with the same JSON types, the same
 * patterns character for character, the same ranges, required fields and defaults; and the
 * defaults are what parsing a spec without the fields gives.
 */
class SpecContractTest {
    private static final JsonObject SCHEMA = ContractFiles.schema();
    private static final JsonObject PROPERTIES = SCHEMA.getAsJsonObject("properties");

    private static JsonObject property(String field) {
        return ContractFiles.resolve(SCHEMA, PROPERTIES.getAsJsonObject(field));
    }

    /** A field's JSON kind as the schema says it. */
    private static SpecParser.Kind kind(JsonObject p) {
        if (p.has("anyOf")) {
            return SpecParser.Kind.WORDS;
        }
        return switch (p.get("type").getAsString()) {
            case "string" -> SpecParser.Kind.STRING;
            case "boolean" -> SpecParser.Kind.BOOLEAN;
            case "integer" -> SpecParser.Kind.INTEGER;
            case "number" -> SpecParser.Kind.NUMBER;
            case "object" -> {
                assertThat(p.getAsJsonObject("additionalProperties").get("type").getAsString()).isEqualTo("string");
                yield SpecParser.Kind.STRING_MAP;
            }
            case "array" -> {
                assertThat(p.getAsJsonObject("items").get("type").getAsString()).isEqualTo("string");
                yield SpecParser.Kind.STRINGS;
            }
            default -> throw new AssertionError("no kind for " + p);
        };
    }

    /**
     * A field's patterns in the schema: its own, its items', for a command (or an address) its branches'
     * in order, and for a hash its keys' and then its values'.
     */
    private static List<String> patterns(JsonObject p) {
        List<String> out = new ArrayList<>();
        if (p.has("pattern")) {
            out.add(p.get("pattern").getAsString());
        }
        if (p.has("items")) {
            out.addAll(patterns(ContractFiles.resolve(SCHEMA, p.getAsJsonObject("items"))));
        }
        if (p.has("anyOf")) {
            for (JsonElement branch : p.getAsJsonArray("anyOf")) {
                out.addAll(patterns(ContractFiles.resolve(SCHEMA, branch.getAsJsonObject())));
            }
        }
        if (p.has("propertyNames")) {
            out.addAll(patterns(p.getAsJsonObject("propertyNames")));
        }
        if (p.has("additionalProperties") && p.get("additionalProperties").isJsonObject()) {
            out.addAll(patterns(p.getAsJsonObject("additionalProperties")));
        }
        return out;
    }

    @Test
    void has_the_schemas_fields_with_their_json_types() {
        Map<String, SpecParser.Kind> schema = new TreeMap<>();
        PROPERTIES.keySet().forEach(f -> schema.put(f, kind(property(f))));
        assertThat(new TreeMap<>(SpecParser.FIELDS)).isEqualTo(schema);
        assertThat(SCHEMA.get("additionalProperties").getAsBoolean()).isFalse();
    }

    @Test
    void requires_the_schemas_required_fields() {
        List<String> required = new ArrayList<>();
        SCHEMA.getAsJsonArray("required").forEach(e -> required.add(e.getAsString()));
        assertThat(new TreeSet<>(SpecParser.REQUIRED)).containsExactlyElementsOf(new TreeSet<>(required));
        assertThat(SCHEMA.getAsJsonObject("dependentRequired").toString()).isEqualTo("{\"health_status\":[\"health_http\"]}");
    }

    @Test
    void has_the_schemas_patterns_character_for_character() {
        Map<String, List<String>> schema = new TreeMap<>();
        Map<String, List<String>> parser = new TreeMap<>();
        for (String f : PROPERTIES.keySet()) {
            List<String> p = patterns(property(f));
            if (!p.isEmpty()) {
                schema.put(f, p);
            }
        }
        SpecParser.PATTERNS.forEach((f, p) -> parser.put(f, p.stream().map(Grammar::pattern).toList()));
        assertThat(parser).isEqualTo(schema);
    }

    @Test
    void has_the_schemas_ranges() {
        assertThat(property("stop_timeout").get("minimum").getAsInt()).isEqualTo(SpecParser.STOP_TIMEOUT_MIN);
        assertThat(property("stop_timeout").get("maximum").getAsInt()).isEqualTo(SpecParser.STOP_TIMEOUT_MAX);
        assertThat(property("health_status").get("minimum").getAsInt()).isEqualTo(SpecParser.HEALTH_STATUS_MIN);
        assertThat(property("health_status").get("maximum").getAsInt()).isEqualTo(SpecParser.HEALTH_STATUS_MAX);
        assertThat(property("cpus").get("minimum").getAsBigDecimal()).isEqualByComparingTo(SpecParser.CPUS_MIN);
        assertThat(property("cpus").get("maximum").getAsBigDecimal()).isEqualByComparingTo(SpecParser.CPUS_MAX);
        assertThat(property("pids_limit").get("minimum").getAsLong()).isEqualTo(SpecParser.PIDS_LIMIT_MIN);
        assertThat(property("pids_limit").get("maximum").getAsLong()).isEqualTo(SpecParser.PIDS_LIMIT_MAX);
        assertThat(property("keep_images").get("minimum").getAsInt()).isEqualTo(ImagePolicy.KEEP_IMAGES_MIN);
        assertThat(property("keep_images").get("maximum").getAsInt()).isEqualTo(ImagePolicy.KEEP_IMAGES_MAX);
    }

    @Test
    void has_the_schemas_log_drivers_and_its_rule_for_syslog_beside_them() {
        List<String> drivers = new ArrayList<>();
        property("log_driver").getAsJsonArray("enum").forEach(e -> drivers.add(e.getAsString()));
        assertThat(SpecParser.LOG_DRIVERS).isEqualTo(drivers);
        // The one rule between keys (the parser's "syslog is true" refusal): syslog: true allows no driver but syslog.
        String rule = "[{\"if\":{\"required\":[\"syslog\",\"log_driver\"],\"properties\":{\"syslog\":{\"const\":true}}},"
                + "\"then\":{\"properties\":{\"log_driver\":{\"const\":\"syslog\"}}}}]";
        assertThat(SCHEMA.getAsJsonArray("allOf").toString()).isEqualTo(rule);
        assertThat(SCHEMA.getAsJsonObject("$defs").getAsJsonObject("hiera_entry").getAsJsonArray("allOf").toString()).isEqualTo(rule);
    }

    @Test
    void has_the_schemas_defaults() {
        Gson gson = new Gson();
        Map<String, JsonElement> schema = new TreeMap<>();
        for (String f : PROPERTIES.keySet()) {
            JsonObject p = PROPERTIES.getAsJsonObject(f);
            if (p.has("default")) {
                schema.put(f, p.get("default"));
            }
        }
        Map<String, JsonElement> parser = new TreeMap<>();
        SpecParser.DEFAULTS.forEach((f, v) -> parser.put(f, gson.toJsonTree(v)));
        assertThat(parser).isEqualTo(schema);
        assertThat(PROPERTIES.getAsJsonObject("kv_bucket").get("x-default-template").getAsString().replace("{name}", "web"))
                .isEqualTo(KvLocation.perContainer("web").bucket());
    }

    @Test
    void parsing_a_spec_without_the_fields_gives_the_defaults() {
        ContainerSpec s = SpecParser.parse("{\"name\": \"web\", \"image\": \"example/web\"}", "t");
        JsonObject d = new JsonObject();
        PROPERTIES.keySet().forEach(f -> {
            if (PROPERTIES.getAsJsonObject(f).has("default")) {
                d.add(f, PROPERTIES.getAsJsonObject(f).get("default"));
            }
        });
        assertThat(s.imageTag()).isEqualTo(d.get("image_tag").getAsString());
        assertThat(s.network()).isEqualTo(d.get("network").getAsString());
        assertThat(s.syslog()).isEqualTo(d.get("syslog").getAsBoolean());
        assertThat(s.environment()).isEqualTo(strings(d.getAsJsonArray("environment")));
        assertThat(s.volumes()).isEmpty();
        assertThat(d.getAsJsonArray("volumes")).isEmpty();
        assertThat(s.ports()).isEmpty();
        assertThat(d.getAsJsonArray("ports")).isEmpty();
        assertThat(s.kvUpdate()).isEqualTo(d.get("kv_update").getAsBoolean());
        assertThat(s.kv().key()).isEqualTo(d.get("kv_key").getAsString());
        assertThat(s.kvInterval()).isEqualTo(d.get("kv_interval").getAsString());
        assertThat(s.checkInterval()).isEqualTo(d.get("check_interval").getAsString());
        assertThat(s.stopTimeout()).isEqualTo(d.get("stop_timeout").getAsInt());
        assertThat(s.restartFiles()).isEqualTo(strings(d.getAsJsonArray("restart_files")));
        assertThat(s.health().httpStatus()).isEqualTo(d.get("health_status").getAsInt());
        assertThat(s.health().startTimeoutSeconds()).isEqualTo(seconds(d.get("start_timeout").getAsString()));
        assertThat(s.health().minHealthySeconds()).isEqualTo(seconds(d.get("min_healthy_time").getAsString()));
        assertThat(s.images().keepImages()).isEqualTo(d.get("keep_images").getAsInt());
        assertThat(s.images().minAgeSeconds()).isEqualTo(seconds(d.get("min_image_age").getAsString()));
        assertThat(s.images().poll()).isNull();
        assertThat(s.kv().bucket()).isEqualTo("HOIST_web");
        assertThat(s.command()).isNull();
        assertThat(s.entrypoint()).isNull();
        assertThat(s.restartGovernor()).isNull();
        assertThat(s.updateGovernor()).isNull();
        assertThat(s.health().httpUrl()).isNull();
        assertThat(s.health().tcpHost()).isNull();
        assertThat(s.health().command()).isNull();
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    private static long seconds(String d) {
        long n = Long.parseLong(d.substring(0, d.length() - 1));
        return switch (d.charAt(d.length() - 1)) {
            case 'h' -> n * 3600;
            case 'm' -> n * 60;
            default -> n;
        };
    }

    /**
     * The command pattern says exactly what Words.split does: a string matches when it splits into
     * at least one word and holds no NUL. Checked on random strings of the characters that matter
     * (quotes, backslashes, newlines, Java's whitespace and a no-break space, which is not).
     */
    @Test
    void the_command_pattern_is_what_words_split_accepts() {
        char[] alphabet = {'a', ' ', '\t', '\n', '\'', '"', '\\', '\u2003', '\u00a0', '\u0085', '$', '\0'};
        Random random = new Random(11);
        int agreed = 0;
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(8);
            for (int j = 0; j < length; j++) {
                sb.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String s = sb.toString();
            boolean splits;
            try {
                splits = !Words.split(s).isEmpty() && s.indexOf('\0') < 0;
            } catch (IllegalArgumentException e) {
                splits = false;
            }
            assertThat(SpecParser.WORDS.compiled().matcher(s).matches()).as("%s", new JsonPrimitive(s)).isEqualTo(splits);
            agreed++;
        }
        assertThat(agreed).isEqualTo(200_000);
    }

    @Test
    void the_schema_is_draft_2020_12_and_documents_every_field() {
        assertThat(SCHEMA.get("$schema").getAsString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        for (String f : PROPERTIES.keySet()) {
            JsonObject p = PROPERTIES.getAsJsonObject(f);
            assertThat(p.has("description")).as(f + " has a description").isTrue();
            assertThat(p.has("default") || p.has("x-default-text") || SpecParser.REQUIRED.contains(f))
                    .as(f + " is required or has a default or x-default-text").isTrue();
        }
    }
}
