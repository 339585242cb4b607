package io.choria.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which tag a container should run, from the machine data Choria's kv watcher (bucket_prefix
 * false) keeps under the KV key, for both KV layouts and for values that are not tags.
 */
class DesiredTagTest {
    static final String PER_CONTAINER = "{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\", \"kv_update\": true}";
    static final String SHARED = "{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\", \"kv_update\": true, "
            + "\"kv_bucket\": \"HOIST\", \"kv_key\": \"container/weather/tag\"}";

    @TempDir Path dir;

    static ContainerSpec spec(String json) {
        return SpecParser.parse(json, "container.json");
    }

    /** Machine data as Choria writes it: one flat object, KEY -> value. */
    WatcherData data(String key, String value) throws IOException {
        JsonObject o = new JsonObject();
        o.addProperty(key, value);
        return WatcherData.read(Files.writeString(dir.resolve("data.json"), o.toString()));
    }

    WatcherData rawData(String json) throws IOException {
        return WatcherData.read(Files.writeString(dir.resolve("data.json"), json));
    }

    @Nested
    class PerContainerLayout {
        @Test
        void the_spec_names_bucket_HOIST_NAME_and_key_TAG() {
            KvLocation kv = spec(PER_CONTAINER).kv();
            assertThat(kv.bucket()).isEqualTo("HOIST_weather");
            assertThat(kv.key()).isEqualTo("TAG");
            assertThat(kv.dataKey()).isEqualTo("TAG");
            assertThat(kv.stream()).isEqualTo("KV_HOIST_weather");
        }

        @Test
        void a_valid_kv_value_wins() throws IOException {
            assertThat(DesiredTag.resolve(spec(PER_CONTAINER), data("TAG", "v2"), null))
                    .isEqualTo(new DesiredTag("v2", DesiredTag.FROM_KV, null));
        }

        @Test
        void a_digest_is_a_tag() throws IOException {
            String digest = "sha256:" + "0123456789abcdef".repeat(4);
            DesiredTag d = DesiredTag.resolve(spec(PER_CONTAINER), data("TAG", digest), null);
            assertThat(d.tag()).isEqualTo(digest);
            assertThat(spec(PER_CONTAINER).imageRef(d.tag())).isEqualTo("example/weather@" + digest);
        }

        @Test
        void the_shared_layouts_key_is_ignored() throws IOException {
            assertThat(DesiredTag.resolve(spec(PER_CONTAINER), data("container/weather/tag", "v2"), null).tag()).isEqualTo("v1");
        }

        @Test
        void the_bucket_prefixed_key_is_not_read() throws IOException {
            // bucket_prefix true would store HOIST_weather_TAG; Puppet's watcher sets it false.
            assertThat(DesiredTag.resolve(spec(PER_CONTAINER), data("HOIST_weather_TAG", "v2"), null).tag()).isEqualTo("v1");
        }
    }

    @Nested
    class SharedLayout {
        @Test
        void the_spec_names_the_shared_bucket_and_key() {
            KvLocation kv = spec(SHARED).kv();
            assertThat(kv).isEqualTo(KvLocation.shared("HOIST", "weather"));
            assertThat(kv.dataKey()).isEqualTo("container/weather/tag");
            assertThat(kv.stream()).isEqualTo("KV_HOIST");
        }

        @Test
        void a_valid_kv_value_wins() throws IOException {
            assertThat(DesiredTag.resolve(spec(SHARED), data("container/weather/tag", "v2"), null).tag()).isEqualTo("v2");
        }

        @Test
        void the_per_container_key_and_other_containers_keys_are_ignored() throws IOException {
            assertThat(DesiredTag.resolve(spec(SHARED), rawData("{\"TAG\": \"v2\", \"container/other/tag\": \"v3\"}"), null).tag())
                    .isEqualTo("v1");
        }
    }

    @Nested
    class WithoutAValue {
        @Test
        void no_machine_data_means_image_tag() {
            assertThat(DesiredTag.resolve(spec(PER_CONTAINER), WatcherData.empty(), null))
                    .isEqualTo(new DesiredTag("v1", DesiredTag.FROM_SPEC, null));
        }

        @Test
        void an_empty_value_means_image_tag_without_a_warning() throws IOException {
            assertThat(DesiredTag.resolve(spec(PER_CONTAINER), data("TAG", ""), "v2"))
                    .isEqualTo(new DesiredTag("v1", DesiredTag.FROM_SPEC, null));
        }

        @Test
        void a_deleted_key_means_back_to_image_tag_even_while_another_tag_runs() throws IOException {
            // Choria removes the data when the key is deleted: the running v2 goes back to image_tag v1.
            assertThat(DesiredTag.resolve(spec(PER_CONTAINER), data("OTHER", "x"), "v2").tag()).isEqualTo("v1");
        }

        @Test
        void kv_update_off_ignores_the_kv_value() throws IOException {
            ContainerSpec off = spec("{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\"}");
            assertThat(DesiredTag.resolve(off, data("TAG", "v2"), null)).isEqualTo(new DesiredTag("v1", DesiredTag.FROM_SPEC, null));
        }
    }

    @Nested
    class BadValues {
        static String[] bad() {
            return new String[] {"v2; rm -rf /", "v".repeat(200), "v 2", "$(reboot)", "../v2", "v2:latest", "-v2", "sha256:abc",
                "example/weather:v2", "v2\nv3"};
        }

        @ParameterizedTest
        @MethodSource("bad")
        void are_ignored_with_a_warning_keeping_the_running_tag(String value) throws IOException {
            DesiredTag d = DesiredTag.resolve(spec(PER_CONTAINER), data("TAG", value), "v3");
            assertThat(d.tag()).isEqualTo("v3");
            assertThat(d.source()).isEqualTo(DesiredTag.FROM_RUNNING);
            assertThat(d.warning()).contains("ignoring the KV value of HOIST_weather/TAG").contains("is not a valid tag")
                    .contains("keeping the running tag v3").doesNotContain("\n");
        }

        @ParameterizedTest
        @MethodSource("bad")
        void are_ignored_with_a_warning_using_image_tag_when_nothing_runs(String value) throws IOException {
            DesiredTag d = DesiredTag.resolve(spec(SHARED), data("container/weather/tag", value), null);
            assertThat(d).extracting(DesiredTag::tag, DesiredTag::source).containsExactly("v1", DesiredTag.FROM_SPEC);
            assertThat(d.warning()).contains("HOIST/container/weather/tag").contains("using image_tag v1");
        }

        @Test
        void surrounding_whitespace_is_trimmed_as_choria_does() throws IOException {
            assertThat(DesiredTag.resolve(spec(PER_CONTAINER), data("TAG", " v2\n"), "v3").tag()).isEqualTo("v2");
        }

        @Test
        void a_200_character_value_is_shortened_in_the_warning() throws IOException {
            DesiredTag d = DesiredTag.resolve(spec(PER_CONTAINER), data("TAG", "v".repeat(200)), null);
            assertThat(d.warning()).contains("...(200 chars)").hasSizeLessThan(300);
        }

        @Test
        void control_characters_are_escaped_in_the_warning() throws IOException {
            DesiredTag d = DesiredTag.resolve(spec(PER_CONTAINER), data("TAG", "v2\u001b[31m\nv3"), null);
            assertThat(d.warning()).contains("\\x1b").contains("\\x0a").doesNotContain("\u001b").doesNotContain("\n");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"tag\": \"v2\"}", "[\"v2\"]", "[]", "{}"})
        void json_choria_parsed_from_braces_or_brackets_is_not_a_tag(String json) throws IOException {
            DesiredTag d = DesiredTag.resolve(spec(PER_CONTAINER), rawData("{\"TAG\": " + json + "}"), "v3");
            assertThat(d.tag()).isEqualTo("v3");
            assertThat(d.warning()).contains("is not a valid tag");
        }
    }
}
