package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecFixtures;
import io.choria.hoist.spec.SpecParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The spec-hash label: a release that adds a key, another key order or spelling in container.json,
 * never changes it for an unchanged spec; every value that reaches the container does; a container
 * labelled by an older Hoist is judged by that Hoist's algorithm.
 */
class SpecHashTest {
    /** Every key container.json may hold, each set away from its default (as in 0418ec7, which knew them all). */
    static final String FULL = """
            {"name": "weather", "image": "registry.example.com:5000/example/weather", "image_tag": "v1",
             "command": "sh -c 'echo \\"hi there\\"; exec httpd -f'", "entrypoint": ["/bin/tini", "--"],
             "network": "host", "syslog": true, "environment": ["WEATHER_API_KEY=c2..4a", "EMPTY="],
             "volumes": ["/srv/weather/logs:/logs", "/etc/weather:/config:ro"],
             "ports": ["8080:8080", "127.0.0.1:9090:90/udp"], "kv_update": true,
             "kv_bucket": "HOIST", "kv_key": "container/weather/tag", "kv_interval": "15s",
             "check_interval": "1m", "stop_timeout": 20, "restart_governor": "HOIST_weather",
             "update_governor": "HOIST_weather_update", "restart_files": ["/etc/weather.conf"],
             "health_http": "http://127.0.0.1:8080/health", "health_status": 204, "health_tcp": "localhost:9090",
             "health_command": "wget -q -O /dev/null 'http://127.0.0.1:8080/health'", "start_timeout": "2m",
             "min_healthy_time": "10s"}""";
    static final String MINIMAL = "{\"name\": \"web\", \"image\": \"example/web\"}";
    /** Strings that need escaping, an IPv6 host, sctp, rw spelled out, a stop timeout of 0, a digest. */
    static final String ODD = """
            {"name": "odd", "image": "example/odd", "image_tag": "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
             "network": "none", "environment": ["Q=say \\"hi\\"\\tand\\\\go", "NL=line1\\nline2", "U=caf\\u00e9 \\u2028 <&>='"],
             "ports": ["[::1]:8443:443/tcp", "53:53/udp", "0.0.0.0:7000:7000/sctp"],
             "volumes": ["/srv/a-b:/c:ro", "/x:/y:rw"], "health_command": ["/bin/check", "--deep"], "stop_timeout": 0}""";

    /*
     * The labels Hoist 0418ec7 gives containers made from FULL, MINIMAL and ODD. Obtained by running that
     * release's own code: `git archive 0418ec7 | tar -x -C old && (cd old && mvn -o -q package -DskipTests)`,
     * then a throwaway class on old/hoist-cli/target/hoist-cli.jar's classpath printing
     * `ContainerPlan.of(SpecParser.parse(text, file), spec.imageTag()).specHash()` for each text saved to a
     * file. (The harness's upgrade stage sees the same algorithm label real containers.)
     */
    static final String LEGACY_FULL = "75a54f31184860947634b199635364b2471f2bc163e160c87ed166ebce9d0d76";
    static final String LEGACY_MINIMAL = "b218490ead3f5707dbe47c08ac95d479089ecb498e4b0ede222330076712c576";
    static final String LEGACY_ODD = "276bf80282e88a1703d6d7c117f0f03cb16455a8b1a702a013da8a5a50d9c0ef";

    /*
     * The v2 canonical forms, and their sha256 as `printf '%s' "$FORM" | sha256sum` prints it: a change to
     * what the label covers or to its serialisation fails here, before it would replace a fleet's containers.
     */
    static final String CANONICAL_FULL = "{\"command\":[\"sh\",\"-c\",\"echo \\\"hi there\\\"; exec httpd -f\"],"
            + "\"entrypoint\":[\"/bin/tini\",\"--\"],\"environment\":[\"WEATHER_API_KEY=c2..4a\",\"EMPTY=\"],"
            + "\"health_command\":[\"wget\",\"-q\",\"-O\",\"/dev/null\",\"http://127.0.0.1:8080/health\"],"
            + "\"name\":\"weather\",\"network\":\"host\",\"ports\":[\"8080:8080/tcp\",\"127.0.0.1:9090:90/udp\"],"
            + "\"start_timeout\":120,\"stop_timeout\":20,\"syslog\":true,"
            + "\"volumes\":[\"/srv/weather/logs:/logs\",\"/etc/weather:/config:ro\"]}";
    static final String V2_FULL = "v2:7bb8e1867afcaf6fe90c01057e2873c90dc48ece6e220529f9037f551158f5a7";
    static final String CANONICAL_MINIMAL = "{\"name\":\"web\"}";
    static final String V2_MINIMAL = "v2:447f02909facb4efb07be873f56f58789cdefad3830594f957cf2731e97f8b98";
    static final String CANONICAL_ODD = "{\"environment\":[\"Q=say \\\"hi\\\"\\u0009and\\\\go\",\"NL=line1\\u000aline2\","
            + "\"U=caf\\u00e9 \\u2028 <&>='\"],\"health_command\":[\"/bin/check\",\"--deep\"],\"name\":\"odd\","
            + "\"network\":\"none\",\"ports\":[\"[::1]:8443:443/tcp\",\"53:53/udp\",\"0.0.0.0:7000:7000/sctp\"],"
            + "\"stop_timeout\":0,\"volumes\":[\"/srv/a-b:/c:ro\",\"/x:/y\"]}";
    static final String V2_ODD = "v2:b14897f11454c7ba602d259e787159cbf997ba5804665ed8a80a8b6c1969ac01";

    static ContainerPlan plan(String json) {
        ContainerSpec spec = SpecParser.parse(json, "test");
        return ContainerPlan.of(spec, spec.imageTag());
    }

    static JsonObject object(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    /** The same object with its keys in reverse order. */
    static String reversed(String json) {
        List<Map.Entry<String, JsonElement>> entries = new ArrayList<>(object(json).entrySet());
        JsonObject out = new JsonObject();
        for (int i = entries.size() - 1; i >= 0; i--) {
            out.add(entries.get(i).getKey(), entries.get(i).getValue());
        }
        return out.toString();
    }

    static String with(String json, String key, JsonElement value) {
        JsonObject o = object(json);
        if (value == null) {
            o.remove(key);
        } else {
            o.add(key, value);
        }
        return o.toString();
    }

    static JsonArray strings(String... items) {
        JsonArray a = new JsonArray();
        for (String s : items) {
            a.add(s);
        }
        return a;
    }

    @Nested
    class Pinned {
        @Test
        void v2_labels_are_the_sha256_of_the_pinned_canonical_forms() {
            assertThat(SpecHash.json(SpecHash.canonical(plan(FULL)))).isEqualTo(CANONICAL_FULL);
            assertThat(SpecHash.json(SpecHash.canonical(plan(MINIMAL)))).isEqualTo(CANONICAL_MINIMAL);
            assertThat(SpecHash.json(SpecHash.canonical(plan(ODD)))).isEqualTo(CANONICAL_ODD);
            assertThat(plan(FULL).specHash()).isEqualTo(V2_FULL);
            assertThat(plan(MINIMAL).specHash()).isEqualTo(V2_MINIMAL);
            assertThat(plan(ODD).specHash()).isEqualTo(V2_ODD);
        }

        /**
         * specs/full.json less the keys added since (memory_swap) sets every container option there was; its
         * label, as the code before the options became one table (ContainerOption) gave it, printed by a
         * throwaway class on that commit's classes: walking the rows must keep every container's label.
         */
        @Test
        void every_option_of_0_2_0_keeps_its_label() {
            JsonObject full = object(SpecFixtures.full());
            full.remove("memory_swap");
            assertThat(plan(full.toString()).specHash()).isEqualTo("v2:521e599352f16f64884a3ce48ee6071797b446b22db30689a9b80f27e1065ded");
        }

        @Test
        void the_frozen_legacy_algorithm_gives_what_0418ec7_labelled() {
            assertThat(SpecHash.legacy(plan(FULL))).isEqualTo(LEGACY_FULL);
            assertThat(SpecHash.legacy(plan(MINIMAL))).isEqualTo(LEGACY_MINIMAL);
            assertThat(SpecHash.legacy(plan(ODD))).isEqualTo(LEGACY_ODD);
        }

        @Test
        void the_canonical_serialisation_is_sorted_compact_ascii() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("b", List.of("\u00e9\"\\\n\u007f~ "));
            m.put("a", true);
            m.put("c", 7L);
            assertThat(SpecHash.json(m)).isEqualTo("{\"a\":true,\"b\":[\"\\u00e9\\\"\\\\\\u000a\\u007f~ \"],\"c\":7}");
        }
    }

    @Nested
    class Unchanged {
        @Test
        void by_key_order() {
            assertThat(plan(reversed(FULL)).specHash()).isEqualTo(V2_FULL);
            assertThat(plan(reversed(ODD)).specHash()).isEqualTo(V2_ODD);
        }

        @Test
        void by_keys_spelled_out_at_their_defaults() {
            String spelled = "{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"latest\", \"network\": \"bridge\","
                    + " \"syslog\": false, \"environment\": [], \"volumes\": [], \"ports\": [], \"stop_timeout\": 10,"
                    + " \"kv_update\": false, \"kv_interval\": \"10s\", \"check_interval\": \"3m\", \"restart_files\": [],"
                    + " \"start_timeout\": \"60s\", \"min_healthy_time\": \"1s\"}";
            assertThat(SpecHash.json(SpecHash.canonical(plan(spelled)))).isEqualTo(CANONICAL_MINIMAL);
            assertThat(plan(spelled).specHash()).isEqualTo(V2_MINIMAL);
            String withCheck = with(MINIMAL, "health_command", new JsonPrimitive("check"));
            assertThat(plan(with(withCheck, "start_timeout", new JsonPrimitive("1m"))).specHash())
                    .as("start_timeout at its default with a health_command").isEqualTo(plan(withCheck).specHash());
        }

        @Test
        void by_other_spellings_of_the_same_values() {
            String a = "{\"name\": \"web\", \"image\": \"example/web\", \"ports\": [\"8080:80\"], \"volumes\": [\"/a:/b:rw\"],"
                    + " \"command\": \"sh -c 'exec httpd -f'\", \"health_command\": \"check\", \"start_timeout\": \"2m\"}";
            String b = "{\"name\": \"web\", \"image\": \"example/web\", \"ports\": [\"8080:80/tcp\"], \"volumes\": [\"/a:/b\"],"
                    + " \"command\": [\"sh\", \"-c\", \"exec httpd -f\"], \"health_command\": [\"check\"], \"start_timeout\": \"120s\"}";
            assertThat(plan(a).specHash()).isEqualTo(plan(b).specHash());
        }

        @Test
        void by_the_keys_that_never_reach_the_container() {
            String bare = "{\"name\": \"weather\", \"image\": \"registry.example.com:5000/example/weather\","
                    + " \"command\": \"sh -c 'echo \\\"hi there\\\"; exec httpd -f'\", \"entrypoint\": [\"/bin/tini\", \"--\"],"
                    + " \"network\": \"host\", \"syslog\": true, \"environment\": [\"WEATHER_API_KEY=c2..4a\", \"EMPTY=\"],"
                    + " \"volumes\": [\"/srv/weather/logs:/logs\", \"/etc/weather:/config:ro\"],"
                    + " \"ports\": [\"8080:8080\", \"127.0.0.1:9090:90/udp\"], \"stop_timeout\": 20,"
                    + " \"health_command\": \"wget -q -O /dev/null 'http://127.0.0.1:8080/health'\", \"start_timeout\": \"2m\"}";
            assertThat(plan(bare).specHash()).as("FULL without image_tag, KV, intervals, governors, probes, restart_files")
                    .isEqualTo(V2_FULL);
            assertThat(plan(with(FULL, "image", new JsonPrimitive("other/image"))).specHash())
                    .as("the image is compared by id, not by the hash").isEqualTo(V2_FULL);
            ContainerSpec spec = SpecParser.parse(FULL, "test");
            assertThat(ContainerPlan.of(spec, "v9").specHash()).as("the tag").isEqualTo(V2_FULL);
        }
    }

    @Test
    void every_value_that_reaches_the_container_changes_it() {
        Map<String, String> variants = new LinkedHashMap<>();
        variants.put("name", with(FULL, "name", new JsonPrimitive("weather2")));
        variants.put("command changed", with(FULL, "command", new JsonPrimitive("sh -c 'exec httpd -f'")));
        variants.put("command unset", with(FULL, "command", null));
        variants.put("entrypoint changed", with(FULL, "entrypoint", strings("/bin/tini")));
        variants.put("entrypoint unset", with(FULL, "entrypoint", null));
        variants.put("environment value", with(FULL, "environment", strings("WEATHER_API_KEY=c2..4b", "EMPTY=")));
        variants.put("environment entry added", with(FULL, "environment", strings("WEATHER_API_KEY=c2..4a", "EMPTY=", "X=1")));
        variants.put("environment order (the later of two same keys wins)", with(FULL, "environment", strings("EMPTY=", "WEATHER_API_KEY=c2..4a")));
        variants.put("environment unset", with(FULL, "environment", null));
        variants.put("network none", with(FULL, "network", new JsonPrimitive("none")));
        variants.put("network unset (bridge)", with(FULL, "network", null));
        variants.put("port host ip", with(FULL, "ports", strings("127.0.0.1:8080:8080", "127.0.0.1:9090:90/udp")));
        variants.put("port protocol", with(FULL, "ports", strings("8080:8080/udp", "127.0.0.1:9090:90/udp")));
        variants.put("port number", with(FULL, "ports", strings("8081:8080", "127.0.0.1:9090:90/udp")));
        variants.put("ports unset", with(FULL, "ports", null));
        variants.put("volume read-write", with(FULL, "volumes", strings("/srv/weather/logs:/logs", "/etc/weather:/config")));
        variants.put("volume target", with(FULL, "volumes", strings("/srv/weather/logs:/log", "/etc/weather:/config:ro")));
        variants.put("volumes unset", with(FULL, "volumes", null));
        variants.put("syslog off", with(FULL, "syslog", new JsonPrimitive(false)));
        variants.put("stop_timeout", with(FULL, "stop_timeout", new JsonPrimitive(21)));
        variants.put("stop_timeout unset (10)", with(FULL, "stop_timeout", null));
        variants.put("health_command changed", with(FULL, "health_command", new JsonPrimitive("wget -q http://127.0.0.1:8080/")));
        variants.put("health_command unset", with(FULL, "health_command", null));
        variants.put("start_timeout", with(FULL, "start_timeout", new JsonPrimitive("3m")));
        variants.put("start_timeout unset (60s)", with(FULL, "start_timeout", null));

        Map<String, String> seen = new LinkedHashMap<>();
        seen.put(V2_FULL, "FULL");
        for (Map.Entry<String, String> v : variants.entrySet()) {
            String hash = plan(v.getValue()).specHash();
            assertThat(seen).as(v.getKey() + " gives a hash of its own").doesNotContainKey(hash);
            seen.put(hash, v.getKey());
        }
        assertThat(seen).hasSize(variants.size() + 1);
    }

    @Nested
    class Matches {
        @Test
        void its_own_label_and_no_other() {
            assertThat(plan(FULL).matchesSpecHash(V2_FULL)).isTrue();
            assertThat(plan(FULL).matchesSpecHash(V2_MINIMAL)).isFalse();
            assertThat(plan(with(FULL, "stop_timeout", new JsonPrimitive(21))).matchesSpecHash(V2_FULL)).isFalse();
        }

        @Test
        void a_label_0418ec7_wrote_for_the_same_spec_however_spelled_now() {
            assertThat(plan(FULL).matchesSpecHash(LEGACY_FULL)).isTrue();
            assertThat(plan(reversed(FULL)).matchesSpecHash(LEGACY_FULL)).isTrue();
            assertThat(plan(ODD).matchesSpecHash(LEGACY_ODD)).isTrue();
            assertThat(plan(MINIMAL).matchesSpecHash(LEGACY_MINIMAL)).isTrue();
            assertThat(plan("{\"name\": \"web\", \"image\": \"example/web\", \"network\": \"bridge\", \"stop_timeout\": 10,"
                    + " \"syslog\": false, \"environment\": []}").matchesSpecHash(LEGACY_MINIMAL)).as("defaults spelled out").isTrue();
        }

        @Test
        void not_a_legacy_label_of_another_spec() {
            assertThat(plan(with(FULL, "stop_timeout", new JsonPrimitive(21))).matchesSpecHash(LEGACY_FULL)).isFalse();
            assertThat(plan(MINIMAL).matchesSpecHash(LEGACY_FULL)).isFalse();
            assertThat(plan(with(MINIMAL, "name", new JsonPrimitive("web2"))).matchesSpecHash(LEGACY_MINIMAL)).isFalse();
        }

        @Test
        void not_a_label_it_cannot_read() {
            ContainerPlan p = plan(FULL);
            assertThat(p.matchesSpecHash(null)).isFalse();
            assertThat(p.matchesSpecHash("")).isFalse();
            assertThat(p.matchesSpecHash(LEGACY_FULL.toUpperCase())).isFalse();
            assertThat(p.matchesSpecHash("v3:" + V2_FULL.substring(3))).as("a newer release's label").isFalse();
            assertThat(p.matchesSpecHash(V2_FULL + " ")).isFalse();
        }

        @Test
        void the_legacy_algorithm_covers_every_key_that_reaches_the_container_today() {
            // A key added later goes into canonical() only, never into LEGACY_KEYS: a spec that sets it
            // then differs from every container an older release made, whatever the legacy hash says.
            assertThat(SpecHash.canonical(plan(FULL)).keySet()).containsExactlyInAnyOrderElementsOf(SpecHash.LEGACY_KEYS);
        }
    }

    /** The container options (memory ... sysctls), each set away from its default. */
    static final String OPTIONS = """
            "memory": "512m", "memory_reservation": "256m", "cpus": 1.5, "cpuset": "0-1", "pids_limit": 200,
            "user": "1000:1000", "group_add": ["audio"], "hostname": "weather-1", "dns": ["192.0.2.53"],
            "dns_search": ["example.com"], "extra_hosts": ["db:192.0.2.5"], "labels": {"team": "weather"},
            "log_opts": {"syslog-facility": "daemon"}, "cap_add": ["NET_ADMIN"], "cap_drop": ["MKNOD"],
            "privileged": true, "read_only": true, "tmpfs": ["/run"], "ulimits": ["nofile=1024:4096"],
            "devices": ["/dev/fuse"], "working_dir": "/srv", "stop_signal": "SIGQUIT", "init": true, "shm_size": "128m",
            "sysctls": {"kernel.msgmax": "65536"}""";

    static String withOptions(String spec) {
        return spec.substring(0, spec.lastIndexOf('}')) + ", " + OPTIONS + "}";
    }

    @Nested
    class ContainerOptions {
        @Test
        void each_set_to_its_default_leaves_every_existing_label_as_it_was() {
            String defaults = """
                    "group_add": [], "dns": [], "dns_search": [], "extra_hosts": [], "labels": {}, "log_opts": {}, "cap_add": [],
                    "cap_drop": [], "privileged": false, "read_only": false, "tmpfs": [], "ulimits": [], "devices": [], "init": false,
                    "sysctls": {}""";
            assertThat(plan(FULL.substring(0, FULL.lastIndexOf('}')) + ", " + defaults + "}").specHash()).isEqualTo(V2_FULL);
            assertThat(plan("{\"name\": \"web\", \"image\": \"example/web\", " + defaults + "}").specHash()).isEqualTo(V2_MINIMAL);
            assertThat(plan(FULL.substring(0, FULL.lastIndexOf('}')) + ", " + defaults + "}").matchesSpecHash(LEGACY_FULL))
                    .as("and a container of 0418ec7 stays in sync").isTrue();
        }

        @Test
        void log_driver_syslog_is_the_syslog_shorthand_spelled_out() {
            assertThat(plan(with(FULL, "log_driver", new JsonPrimitive("syslog"))).specHash()).isEqualTo(V2_FULL);
            JsonObject tag = new JsonObject();
            tag.addProperty("tag", "hoist_weather");
            assertThat(plan(with(FULL, "log_opts", tag)).specHash()).as("its tag spelled out too").isEqualTo(V2_FULL);
        }

        @Test
        void spellings_of_one_value_hash_alike() {
            String base = plan(withOptions(MINIMAL)).specHash();
            assertThat(plan(withOptions(MINIMAL).replace("\"512m\"", "\"524288k\"")).specHash()).isEqualTo(base);
            assertThat(plan(withOptions(MINIMAL).replace("\"512m\"", "\"536870912b\"")).specHash()).isEqualTo(base);
            assertThat(plan(withOptions(MINIMAL).replace("1.5", "1.50")).specHash()).isEqualTo(base);
            assertThat(plan(withOptions(MINIMAL).replace("\"NET_ADMIN\"", "\"CAP_NET_ADMIN\"")).specHash()).isEqualTo(base);
            assertThat(plan(withOptions(MINIMAL).replace("\"/dev/fuse\"", "\"/dev/fuse:/dev/fuse:rwm\"")).specHash()).isEqualTo(base);
            assertThat(plan(withOptions(MINIMAL).replace("\"/run\"", "\"/run\", \"/run\"")).specHash()).as("a path twice").isEqualTo(base);
        }

        @Test
        void every_option_changes_it_and_no_legacy_label_matches_a_spec_that_sets_one() {
            String all = withOptions(FULL);
            Map<String, String> variants = new LinkedHashMap<>();
            String[][] changes = {
                {"\"512m\"", "\"513m\""}, {"\"256m\"", "\"255m\""}, {"1.5", "1.25"}, {"\"0-1\"", "\"0\""}, {"200", "201"},
                {"\"1000:1000\"", "\"1000\""}, {"[\"audio\"]", "[\"video\"]"}, {"\"weather-1\"", "\"weather-2\""},
                {"[\"192.0.2.53\"]", "[\"192.0.2.54\"]"}, {"[\"example.com\"]", "[\"example.org\"]"},
                {"\"db:192.0.2.5\"", "\"db:192.0.2.6\""}, {"{\"team\": \"weather\"}", "{\"team\": \"rain\"}"},
                {"\"daemon\"", "\"local0\""}, {"[\"NET_ADMIN\"]", "[\"NET_RAW\"]"}, {"[\"MKNOD\"]", "[\"CHOWN\"]"},
                {"\"privileged\": true", "\"privileged\": false"}, {"\"read_only\": true", "\"read_only\": false"},
                {"[\"/run\"]", "[\"/run:size=1m\"]"}, {"nofile=1024:4096", "nofile=1024:4097"}, {"[\"/dev/fuse\"]", "[\"/dev/fuse:r\"]"},
                {"\"/srv\"", "\"/srv/x\""}, {"\"SIGQUIT\"", "\"SIGINT\""}, {"\"init\": true", "\"init\": false"},
                {"\"128m\"", "\"64m\""}, {"\"65536\"", "\"65537\""},
            };
            for (String[] c : changes) {
                assertThat(all).contains(c[0]);
                variants.put(c[0] + " -> " + c[1], all.replace(c[0], c[1]));
            }
            variants.put("log_driver journald (syslog off)", with(with(all, "syslog", new JsonPrimitive(false)), "log_driver", new JsonPrimitive("journald")));
            Map<String, String> seen = new LinkedHashMap<>();
            seen.put(plan(all).specHash(), "FULL with every option");
            seen.put(V2_FULL, "FULL");
            for (Map.Entry<String, String> v : variants.entrySet()) {
                String hash = plan(v.getValue()).specHash();
                assertThat(seen).as(v.getKey() + " gives a hash of its own").doesNotContainKey(hash);
                seen.put(hash, v.getKey());
            }
            assertThat(seen).hasSize(variants.size() + 2);
            assertThat(plan(all).matchesSpecHash(LEGACY_FULL)).isFalse();
            assertThat(plan(with(FULL, "init", new JsonPrimitive(true))).matchesSpecHash(LEGACY_FULL)).isFalse();
        }
    }
}
