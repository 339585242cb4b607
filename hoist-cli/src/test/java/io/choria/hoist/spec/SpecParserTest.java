package io.choria.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecParserTest {
    static final String FULL = SpecFixtures.full();

    static ContainerSpec parse(String json) {
        return SpecParser.parse(json, "container.json");
    }

    static String minimal(String extra) {
        return "{\"name\": \"web\", \"image\": \"example/web\"" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    static HoistException refused(String json) {
        try {
            parse(json);
        } catch (HoistException e) {
            return e;
        }
        throw new AssertionError("spec was accepted: " + json);
    }

    @Nested
    class Accepts {
        @Test
        void every_field_of_a_full_spec() {
            ContainerSpec s = parse(FULL);
            assertThat(s.name()).isEqualTo("weather");
            assertThat(s.imageRef(s.imageTag())).isEqualTo("registry.example.com:5000/example/weather:v1");
            assertThat(s.command()).containsExactly("sh", "-c", "echo \"hi there\"; exec httpd -f");
            assertThat(s.entrypoint()).containsExactly("/bin/tini", "--");
            assertThat(s.network()).isEqualTo("host");
            assertThat(s.syslog()).isTrue();
            assertThat(s.environment()).containsExactly("WEATHER_API_KEY=c2..4a", "EMPTY=");
            assertThat(s.volumes()).containsExactly(new VolumeSpec("/srv/weather/logs", "/logs", false),
                    new VolumeSpec("/etc/weather", "/config", true));
            assertThat(s.ports()).containsExactly(new PortSpec(null, 8080, 8080, "tcp"), new PortSpec("127.0.0.1", 9090, 90, "udp"));
            assertThat(s.kvUpdate()).isTrue();
            assertThat(s.kv()).isEqualTo(new KvLocation("HOIST", "container/weather/tag"));
            assertThat(s.kvInterval()).isEqualTo("15s");
            assertThat(s.checkInterval()).isEqualTo("1m");
            assertThat(s.stopTimeout()).isEqualTo(20);
            assertThat(s.restartGovernor()).isEqualTo("HOIST_weather");
            assertThat(s.updateGovernor()).isEqualTo("HOIST_weather_update");
            assertThat(s.restartFiles()).containsExactly("/etc/weather.conf");
            assertThat(s.health()).isEqualTo(new HealthSpec("http://127.0.0.1:8080/health", 204, "localhost", 9090,
                    List.of("wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health"), 120, 10));
            assertThat(s.images()).isEqualTo(new ImagePolicy(3, "1h", 24 * 3600));
        }

        @Test
        void the_full_spec_sets_every_field_the_parser_knows() {
            String message = refused(minimal("\"no_such_field\": 1")).getMessage();
            String known = message.substring(message.indexOf("(known: ") + "(known: ".length(), message.lastIndexOf(')'));
            Set<String> fields = JsonParser.parseString(FULL).getAsJsonObject().keySet();
            assertThat(fields).as("specs/full.json sets every field").containsExactlyInAnyOrder(known.split(", "));
        }

        @Test
        void defaults_for_a_minimal_spec() {
            ContainerSpec s = parse(minimal(""));
            assertThat(s.imageTag()).isEqualTo("latest");
            assertThat(s.network()).isEqualTo("bridge");
            assertThat(s.command()).isNull();
            assertThat(s.entrypoint()).isNull();
            assertThat(s.environment()).isEmpty();
            assertThat(s.kv()).isEqualTo(new KvLocation("HOIST_web", "TAG"));
            assertThat(s.stopTimeout()).isEqualTo(10);
            assertThat(s.containerName()).isEqualTo("hoist_web");
            assertThat(s.health()).isEqualTo(new HealthSpec(null, 200, null, 0, null, 60, 1));
            assertThat(s.health().hasProbes()).isFalse();
        }

        @Test
        void a_digest_as_tag() {
            String digest = "sha256:" + "a".repeat(64);
            ContainerSpec s = parse(minimal("\"image_tag\": \"" + digest + "\""));
            assertThat(s.imageRef(s.imageTag())).isEqualTo("example/web@" + digest);
        }
    }

    @Nested
    class Refuses {
        @Test
        void a_spec_without_image() {
            HoistException e = refused("{\"name\": \"web\"}");
            assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(e.getMessage()).isEqualTo("container.json (container web): field 'image' is required");
        }

        @Test
        void a_port_with_a_service_name() {
            HoistException e = refused(minimal("\"ports\": [\"80:http\"]"));
            assertThat(e.getMessage()).contains("field 'ports'").contains("'80:http'");
        }

        @Test
        void a_port_out_of_range() {
            assertThat(refused(minimal("\"ports\": [\"70000:80\"]")).getMessage()).contains("with ports 1-65535").contains("'70000:80'");
        }

        @Test
        void an_unknown_field() {
            HoistException e = refused(minimal("\"imagetag\": \"v1\""));
            assertThat(e.getMessage()).contains("field 'imagetag' unknown field");
        }

        @Test
        void a_wrong_type() {
            assertThat(refused(minimal("\"syslog\": \"yes\"")).getMessage()).contains("field 'syslog' must be true or false");
            assertThat(refused(minimal("\"stop_timeout\": 1.5")).getMessage()).contains("field 'stop_timeout' must be a whole number");
            assertThat(refused(minimal("\"image_tag\": 2")).getMessage()).contains("field 'image_tag' must be a string");
            assertThat(refused(minimal("\"environment\": \"A=b\"")).getMessage()).contains("must be a list of strings");
        }

        @ParameterizedTest
        @ValueSource(strings = {"v1 beta", "v2;rm", "-v1", ".hidden", "v1/x", ""})
        void a_tag_outside_dockers_grammar(String tag) {
            HoistException e = refused(minimal("\"image_tag\": \"" + tag + "\""));
            assertThat(e.getMessage()).contains("field 'image_tag'").contains("is not a valid tag");
        }

        @Test
        void a_tag_over_128_characters() {
            assertThat(refused(minimal("\"image_tag\": \"" + "a".repeat(129) + "\"")).getMessage()).contains("is not a valid tag");
            assertThat(parse(minimal("\"image_tag\": \"" + "a".repeat(128) + "\"")).imageTag()).hasSize(128);
        }

        @Test
        void an_environment_entry_without_equals_and_never_prints_the_value() {
            HoistException e = refused(minimal("\"environment\": [\"A=1\", \"SECRETVALUE\"]"));
            assertThat(e.getMessage()).contains("field 'environment' entry 2 is not KEY=value").doesNotContain("SECRETVALUE");
        }

        @Test
        void a_relative_volume_source() {
            assertThat(refused(minimal("\"volumes\": [\"logs:/logs\"]")).getMessage()).contains("field 'volumes'");
        }

        @Test
        void a_zero_interval_and_bad_durations() {
            assertThat(refused(minimal("\"kv_interval\": \"0s\"")).getMessage()).contains("field 'kv_interval' must be a duration").contains("longer than 0");
            assertThat(refused(minimal("\"check_interval\": \"500ms\"")).getMessage()).contains("field 'check_interval'");
        }

        @Test
        void an_image_with_a_tag_or_upper_case() {
            assertThat(refused("{\"name\": \"web\", \"image\": \"example/web:v1\"}").getMessage()).contains("field 'image'");
            assertThat(refused("{\"name\": \"web\", \"image\": \"Example/Web\"}").getMessage()).contains("field 'image'");
        }

        @Test
        void a_bad_name() {
            assertThat(refused("{\"name\": \"my.web\", \"image\": \"example/web\"}").getMessage())
                    .isEqualTo("container.json: field 'name' must be a letter, then letters, digits, _ or - (two characters or more), and not purge, got 'my.web'");
        }

        @Test
        void malformed_json_and_non_objects() {
            assertThat(refused("{\"name\": ").getMessage()).startsWith("container.json: not valid JSON");
            assertThat(refused("[]").getMessage()).isEqualTo("container.json: the spec must be a JSON object");
            assertThat(refused("{\"name\": \"web\", \"image\": \"a/b\",}").getMessage()).startsWith("container.json: not valid JSON");
        }

        @Test
        void an_unsplittable_command() {
            assertThat(refused(minimal("\"command\": \"sh -c 'unterminated\"")).getMessage())
                    .contains("field 'command' cannot be split into words: unterminated single quote");
            assertThat(refused(minimal("\"command\": []")).getMessage()).contains("field 'command' must be a string or a non-empty list");
        }
    }

    /** The health keys: what each accepts, and each refusal naming its field (exit 2, bad input). */
    @Nested
    class Health {
        static Stream<Arguments> accepted() {
            return Stream.of(
                    Arguments.of("\"health_http\": \"http://127.0.0.1:8080/health\"",
                            new HealthSpec("http://127.0.0.1:8080/health", 200, null, 0, null, 60, 1)),
                    Arguments.of("\"health_http\": \"http://localhost:80\"", new HealthSpec("http://localhost:80", 200, null, 0, null, 60, 1)),
                    Arguments.of("\"health_http\": \"http://[::1]:65535/ready?deep=1\"",
                            new HealthSpec("http://[::1]:65535/ready?deep=1", 200, null, 0, null, 60, 1)),
                    Arguments.of("\"health_http\": \"http://127.0.0.1:1/\", \"health_status\": 100",
                            new HealthSpec("http://127.0.0.1:1/", 100, null, 0, null, 60, 1)),
                    Arguments.of("\"health_http\": \"http://127.0.0.1:1/\", \"health_status\": 599",
                            new HealthSpec("http://127.0.0.1:1/", 599, null, 0, null, 60, 1)),
                    Arguments.of("\"health_tcp\": \"8080\"", new HealthSpec(null, 200, "127.0.0.1", 8080, null, 60, 1)),
                    Arguments.of("\"health_tcp\": \"localhost:5432\"", new HealthSpec(null, 200, "localhost", 5432, null, 60, 1)),
                    Arguments.of("\"health_tcp\": \"[::1]:53\"", new HealthSpec(null, 200, "::1", 53, null, 60, 1)),
                    Arguments.of("\"health_tcp\": \"127.0.0.1:1\"", new HealthSpec(null, 200, "127.0.0.1", 1, null, 60, 1)),
                    Arguments.of("\"health_command\": \"pg_isready -h '127.0.0.1'\"",
                            new HealthSpec(null, 200, null, 0, List.of("pg_isready", "-h", "127.0.0.1"), 60, 1)),
                    Arguments.of("\"health_command\": [\"/bin/check\", \"two words\"]",
                            new HealthSpec(null, 200, null, 0, List.of("/bin/check", "two words"), 60, 1)),
                    Arguments.of("\"start_timeout\": \"1s\"", new HealthSpec(null, 200, null, 0, null, 1, 1)),
                    Arguments.of("\"start_timeout\": \"2m\"", new HealthSpec(null, 200, null, 0, null, 120, 1)),
                    Arguments.of("\"start_timeout\": \"1h\"", new HealthSpec(null, 200, null, 0, null, 3600, 1)),
                    Arguments.of("\"min_healthy_time\": \"0s\"", new HealthSpec(null, 200, null, 0, null, 60, 0)),
                    Arguments.of("\"min_healthy_time\": \"30s\"", new HealthSpec(null, 200, null, 0, null, 60, 30)),
                    Arguments.of("\"min_healthy_time\": \"5m\"", new HealthSpec(null, 200, null, 0, null, 60, 300)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("accepted")
        void accepts_a_valid_value_and_parses_it(String keys, HealthSpec expected) {
            assertThat(parse(minimal(keys)).health()).isEqualTo(expected);
        }

        static Stream<Arguments> refusals() {
            String local = "must be http://HOST:PORT[/PATH] with HOST 127.0.0.1, localhost or [::1] and PORT 1-65535";
            String tcp = "must be PORT or HOST:PORT with HOST 127.0.0.1, localhost or [::1] and PORT 1-65535";
            String duration = "must be a duration like 10s, 5m or 1h, longer than 0";
            String period = "must be a duration like 0s, 10s, 5m or 1h";
            return Stream.of(
                    Arguments.of("health_http", "\"health_http\": \"https://127.0.0.1:8443/health\"", "(%XX for others), got 'https://127.0.0.1:8443/health'"),
                    Arguments.of("health_http", "\"health_http\": \"http://10.0.0.5:80/health\"", local),
                    Arguments.of("health_http", "\"health_http\": \"http://example.com:80/\"", local),
                    Arguments.of("health_http", "\"health_http\": \"http://127.0.0.1/health\"", local),
                    Arguments.of("health_http", "\"health_http\": \"http://127.0.0.1:80/a b\"", local),
                    Arguments.of("health_http", "\"health_http\": \"http://127.0.0.1:0/\"", local),
                    Arguments.of("health_http", "\"health_http\": \"http://127.0.0.1:65536/\"", local),
                    Arguments.of("health_http", "\"health_http\": 8080", "must be a string"),
                    Arguments.of("health_status", "\"health_status\": 204", "needs health_http"),
                    Arguments.of("health_status", "\"health_http\": \"http://127.0.0.1:80/\", \"health_status\": 99",
                            "must be an HTTP status 100-599, got 99"),
                    Arguments.of("health_status", "\"health_http\": \"http://127.0.0.1:80/\", \"health_status\": 600",
                            "must be an HTTP status 100-599, got 600"),
                    Arguments.of("health_status", "\"health_http\": \"http://127.0.0.1:80/\", \"health_status\": \"200\"", "must be a whole number"),
                    Arguments.of("health_status", "\"health_http\": \"http://127.0.0.1:80/\", \"health_status\": 200.5", "must be a whole number"),
                    Arguments.of("health_status", "\"health_http\": \"http://127.0.0.1:80/\", \"health_status\": 1e10", "is out of range"),
                    Arguments.of("health_tcp", "\"health_tcp\": \"db.example.com:5432\"", tcp + ", got 'db.example.com:5432'"),
                    Arguments.of("health_tcp", "\"health_tcp\": \"127.0.0.1\"", tcp),
                    Arguments.of("health_tcp", "\"health_tcp\": \"127.0.0.1:\"", tcp),
                    Arguments.of("health_tcp", "\"health_tcp\": \"0\"", tcp),
                    Arguments.of("health_tcp", "\"health_tcp\": \"localhost:99999\"", tcp),
                    Arguments.of("health_tcp", "\"health_tcp\": 5432", "must be a string"),
                    Arguments.of("health_command", "\"health_command\": \"\"", "is empty"),
                    Arguments.of("health_command", "\"health_command\": \"   \"", "is empty"),
                    Arguments.of("health_command", "\"health_command\": []", "must be a string or a non-empty list of strings"),
                    Arguments.of("health_command", "\"health_command\": [\"check\", 1]", "must be a string or a non-empty list of strings"),
                    Arguments.of("health_command", "\"health_command\": \"sh -c 'unterminated\"", "cannot be split into words: unterminated single quote"),
                    Arguments.of("start_timeout", "\"start_timeout\": \"0s\"", duration),
                    Arguments.of("start_timeout", "\"start_timeout\": \"30\"", duration + " (at most 999h, 99999m or 9999999s, no leading zero), got '30'"),
                    Arguments.of("start_timeout", "\"start_timeout\": \"500ms\"", duration),
                    Arguments.of("start_timeout", "\"start_timeout\": \"1.5m\"", duration),
                    Arguments.of("start_timeout", "\"start_timeout\": \"-1s\"", duration),
                    Arguments.of("start_timeout", "\"start_timeout\": \"1d\"", duration),
                    Arguments.of("start_timeout", "\"start_timeout\": 30", "must be a string"),
                    Arguments.of("min_healthy_time", "\"min_healthy_time\": \"5\"", period + " (at most 999h, 99999m or 9999999s, no leading zero), got '5'"),
                    Arguments.of("min_healthy_time", "\"min_healthy_time\": \"2 s\"", period),
                    Arguments.of("min_healthy_time", "\"min_healthy_time\": \"\"", period),
                    Arguments.of("min_healthy_time", "\"min_healthy_time\": 0", "must be a string"));
        }

        @ParameterizedTest(name = "{0}: {1}")
        @MethodSource("refusals")
        void refuses_a_bad_value_naming_its_field(String field, String keys, String problem) {
            HoistException e = SpecParserTest.refused(minimal(keys));
            assertThat(e.exitCode()).as("bad input").isEqualTo(ExitCode.BAD_INPUT);
            // A value of the wrong JSON type is refused before the name is read, so without "(container web)".
            assertThat(e.getMessage()).matches("container\\.json( \\(container web\\))?: field '" + field + "' .*").contains(problem);
        }
    }

    @Test
    void words_split_like_a_shell_without_one() {
        assertThat(Words.split("a  'b c' \"d \\\"e\\\"\" f\\ g $HOME")).isEqualTo(List.of("a", "b c", "d \"e\"", "f g", "$HOME"));
        assertThat(Words.split("")).isEmpty();
        assertThat(Words.split("x''")).containsExactly("x");
    }
}
