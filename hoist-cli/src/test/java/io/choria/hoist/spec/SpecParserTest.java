package io.choria.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpecParserTest {
    static final String FULL = """
            {"name": "weather", "image": "registry.example.com:5000/example/weather", "image_tag": "v1",
             "command": "sh -c 'echo \\"hi there\\"; exec httpd -f'", "entrypoint": ["/bin/tini", "--"],
             "network": "host", "syslog": true, "environment": ["WEATHER_API_KEY=c2..4a", "EMPTY="],
             "volumes": ["/srv/weather/logs:/logs", "/etc/weather:/config:ro"],
             "ports": ["8080:8080", "127.0.0.1:9090:90/udp"], "kv_update": true,
             "kv_bucket": "HOIST", "kv_key": "container/weather/tag", "kv_interval": "15s",
             "check_interval": "1m", "stop_timeout": 20, "restart_governor": "HOIST_weather",
             "update_governor": "HOIST_weather_update", "restart_files": ["/etc/weather.conf"]}
            """;

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
            assertThat(refused(minimal("\"ports\": [\"70000:80\"]")).getMessage()).contains("outside 1-65535");
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
            assertThat(refused(minimal("\"kv_interval\": \"0s\"")).getMessage()).contains("field 'kv_interval' must be longer than 0");
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
                    .isEqualTo("container.json: field 'name' must match ^[a-zA-Z][a-zA-Z0-9_-]+$, got 'my.web'");
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

    @Test
    void words_split_like_a_shell_without_one() {
        assertThat(Words.split("a  'b c' \"d \\\"e\\\"\" f\\ g $HOME")).isEqualTo(List.of("a", "b c", "d \"e\"", "f g", "$HOME"));
        assertThat(Words.split("")).isEmpty();
        assertThat(Words.split("x''")).containsExactly("x");
    }
}
