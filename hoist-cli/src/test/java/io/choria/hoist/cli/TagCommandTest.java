package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.ConnectionSettings;
import io.choria.hoist.kv.KvException;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.spec.KvLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** hoist-cli tag: wiring, output and exit codes, with a fake Key-Value store. Docker is never used. */
class TagCommandTest {
    static final KvLocation WEATHER = KvLocation.perContainer("weather");
    static final Instant T1 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir Path store;
    TagStore kv;
    Engine engine;
    Map<String, String> env;
    List<ConnectionSettings> connections;
    String out;
    String err;

    @BeforeEach
    void setUp() {
        kv = mock(TagStore.class);
        engine = mock(Engine.class);
        env = new HashMap<>();
        env.put("HOIST_NATS_URL", "nats://127.0.0.1:4222");
        connections = new ArrayList<>();
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Context ctx = new Context(env, store.resolve("elsewhere"), host -> engine, settings -> {
            connections.add(settings);
            return kv;
        });
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--store";
        all[args.length + 1] = store.toString();
        int rc = Cli.run(ctx, new PrintWriter(o), new PrintWriter(e), all);
        out = o.toString();
        err = e.toString();
        verifyNoInteractions(engine);
        return rc;
    }

    void spec(String name, String extra) throws IOException {
        Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(store.resolve("hoist_" + name + "/container.json"),
                "{\"name\": \"" + name + "\", \"image\": \"example/" + name + "\", \"image_tag\": \"v1\", \"kv_update\": true" + extra + "}");
    }

    static TagEntry put(KvLocation loc, long revision, String value) {
        return new TagEntry(loc.bucket(), loc.key(), revision, T1, TagEntry.PUT, value);
    }

    @Nested
    class Reading {
        @Test
        void prints_the_desired_tag_alone_on_stdout() throws IOException {
            spec("weather", "");
            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 7, "v2")));
            assertThat(run("tag", "weather")).isEqualTo(ExitCode.OK);
            assertThat(out).isEqualTo("v2\n");
            assertThat(err).isEmpty();
        }

        @Test
        void json_gives_tag_revision_time_bucket_and_key() throws IOException {
            spec("weather", "");
            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 7, "v2")));
            assertThat(run("tag", "weather", "--json")).isEqualTo(ExitCode.OK);
            assertThat(out).contains("\"tag\": \"v2\"", "\"revision\": 7", "\"time\": \"2026-01-02T03:04:05Z\"",
                    "\"bucket\": \"HOIST_weather\"", "\"key\": \"TAG\"");
        }

        @Test
        void a_key_not_set_says_image_tag_applies_and_exits_1() throws IOException {
            spec("weather", "");
            when(kv.get(WEATHER)).thenReturn(Optional.empty());
            assertThat(run("tag", "weather")).isEqualTo(TagCommand.KEY_NOT_SET).isEqualTo(1);
            assertThat(out).isEmpty();
            assertThat(err).isEqualTo("hoist-cli: HOIST_weather/TAG is not set, so image_tag v1 applies\n");
        }

        @Test
        void a_deleted_key_says_so() throws IOException {
            spec("weather", "");
            when(kv.get(WEATHER)).thenReturn(Optional.empty());
            when(kv.history(WEATHER)).thenReturn(List.of(put(WEATHER, 1, "v2"),
                    new TagEntry("HOIST_weather", "TAG", 2, T1, TagEntry.DELETE, null)));
            assertThat(run("tag", "weather", "--json")).isEqualTo(TagCommand.KEY_NOT_SET);
            assertThat(err).contains("is not set (deleted at revision 2), so image_tag v1 applies");
            assertThat(out).contains("\"tag\": null", "\"bucket\": \"HOIST_weather\"");
        }

        @Test
        void a_missing_bucket_exits_5() throws IOException {
            spec("weather", "");
            when(kv.get(WEATHER)).thenThrow(new BucketMissingException("HOIST_weather"));
            assertThat(run("tag", "weather")).isEqualTo(ExitCode.KV_ERROR);
            assertThat(err.lines()).singleElement().asString()
                    .startsWith("hoist-cli: the Key-Value bucket HOIST_weather does not exist, so image_tag v1 applies");
        }

        @Test
        void an_invalid_stored_value_is_not_printed_and_exits_2() throws IOException {
            spec("weather", "");
            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 3, "v2; rm -rf /")));
            assertThat(run("tag", "weather")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(out).isEmpty();
            assertThat(err).contains("'v2; rm -rf /' is not a valid tag").contains("Hoist ignores it");
        }

        @Test
        void judges_the_value_as_the_machine_does() throws IOException {
            spec("weather", "");
            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 3, " v2\n")));
            assertThat(run("tag", "weather")).as("spaces around: the machine runs v2").isEqualTo(ExitCode.OK);
            assertThat(out).isEqualTo("v2\n");

            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 4, "")));
            assertThat(run("tag", "weather")).as("empty: the machine runs image_tag").isEqualTo(TagCommand.KEY_NOT_SET);
            assertThat(out).isEmpty();
            assertThat(err).isEqualTo("hoist-cli: HOIST_weather/TAG holds an empty value, so image_tag v1 applies\n");
        }

        @Test
        void history_lists_earlier_values_oldest_first() throws IOException {
            spec("weather", "");
            when(kv.history(WEATHER)).thenReturn(List.of(put(WEATHER, 1, "v1"), put(WEATHER, 2, "v2"),
                    new TagEntry("HOIST_weather", "TAG", 3, T1, TagEntry.DELETE, null)));
            assertThat(run("tag", "weather", "--history")).isEqualTo(ExitCode.OK);
            assertThat(out.lines()).containsExactly(
                    "REVISION  TIME                 OPERATION VALUE",
                    "1         2026-01-02T03:04:05Z put       v1",
                    "2         2026-01-02T03:04:05Z put       v2",
                    "3         2026-01-02T03:04:05Z delete    ");
            verify(kv, never()).put(any(), anyString());
        }

        @Test
        void history_n_lists_the_last_n_and_json_has_every_field() throws IOException {
            spec("weather", "");
            when(kv.history(WEATHER)).thenReturn(List.of(put(WEATHER, 1, "v1"), put(WEATHER, 2, "v2"), put(WEATHER, 3, "v3")));
            assertThat(run("tag", "weather", "--history", "2", "--json")).isEqualTo(ExitCode.OK);
            assertThat(out).contains("\"revision\": 2", "\"revision\": 3", "\"operation\": \"put\"", "\"value\": \"v3\"")
                    .doesNotContain("\"value\": \"v1\"");
        }
    }

    @Nested
    class Writing {
        @Test
        void validates_and_writes() throws IOException {
            spec("weather", "");
            when(kv.put(WEATHER, "v2")).thenReturn(put(WEATHER, 4, "v2"));
            assertThat(run("tag", "weather", "v2")).isEqualTo(ExitCode.OK);
            assertThat(out).isEqualTo("HOIST_weather/TAG = v2 (revision 4)\n");
            assertThat(err).isEmpty();
        }

        @Test
        void writes_a_digest() throws IOException {
            spec("weather", "");
            String digest = "sha256:" + "a".repeat(64);
            when(kv.put(WEATHER, digest)).thenReturn(put(WEATHER, 4, digest));
            assertThat(run("tag", "weather", digest)).isEqualTo(ExitCode.OK);
        }

        @ParameterizedTest
        @ValueSource(strings = {"v2; rm -rf /", "v 2", "", ".v2", "v2:latest", "{\"a\":1}", "v2\n", "sha256:abc", "ü"})
        void refuses_an_invalid_tag_writes_nothing_and_does_not_connect(String bad) throws IOException {
            spec("weather", "");
            assertThat(run("tag", "weather", bad)).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err.lines()).singleElement().asString().startsWith("hoist-cli: refusing to write: ");
            assertThat(out).isEmpty();
            verifyNoInteractions(kv);
            assertThat(connections).isEmpty();
        }

        @Test
        void refuses_a_tag_of_200_characters() throws IOException {
            spec("weather", "");
            assertThat(run("tag", "weather", "v".repeat(200))).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).contains("(200 chars)");
            verifyNoInteractions(kv);
        }

        @Test
        void a_missing_bucket_exits_5_and_says_how_to_create_it() throws IOException {
            spec("weather", "");
            when(kv.put(WEATHER, "v2")).thenThrow(new BucketMissingException("HOIST_weather"));
            assertThat(run("tag", "weather", "v2")).isEqualTo(ExitCode.KV_ERROR);
            assertThat(err).isEqualTo("hoist-cli: the Key-Value bucket HOIST_weather does not exist: nothing written; "
                    + "create it with 'choria kv add HOIST_weather' or give --create\n");
            verify(kv, never()).create(anyString(), anyInt(), anyInt());
        }

        @Test
        void create_makes_the_bucket_then_writes() throws IOException {
            spec("weather", "");
            when(kv.put(WEATHER, "v2")).thenThrow(new BucketMissingException("HOIST_weather")).thenReturn(put(WEATHER, 1, "v2"));
            assertThat(run("tag", "weather", "v2", "--create", "--history", "10", "--replicas", "3")).isEqualTo(ExitCode.OK);
            var order = inOrder(kv);
            order.verify(kv).put(WEATHER, "v2");
            order.verify(kv).create("HOIST_weather", 10, 3);
            order.verify(kv).put(WEATHER, "v2");
            assertThat(err).isEqualTo("hoist-cli: created the Key-Value bucket HOIST_weather (history 10, replicas 3)\n");
            assertThat(out).isEqualTo("HOIST_weather/TAG = v2 (revision 1)\n");
        }

        @Test
        void bucket_history_sets_the_new_buckets_history_and_history_n_is_its_older_spelling() throws IOException {
            spec("weather", "");
            when(kv.put(WEATHER, "v2")).thenThrow(new BucketMissingException("HOIST_weather")).thenReturn(put(WEATHER, 1, "v2"));
            assertThat(run("tag", "weather", "v2", "--create", "--bucket-history", "12")).isEqualTo(ExitCode.OK);
            verify(kv).create("HOIST_weather", 12, 1);
            assertThat(run("tag", "weather", "v2", "--create", "--bucket-history", "12", "--history", "3")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).contains("older spelling of --bucket-history");
        }

        @Test
        void clears_the_fleets_failure_marker() throws IOException {
            spec("weather", "");
            KvLocation marker = new KvLocation("HOIST_weather", "TAG_failed");
            when(kv.put(WEATHER, "v4")).thenReturn(put(WEATHER, 9, "v4"));
            when(kv.get(marker)).thenReturn(Optional.of(put(marker, 8, "v3")));
            assertThat(run("tag", "weather", "v4")).isEqualTo(ExitCode.OK);
            var order = inOrder(kv);
            order.verify(kv).put(WEATHER, "v4");
            order.verify(kv).delete(marker);
            assertThat(err).isEqualTo("hoist-cli: cleared the failure marker HOIST_weather/TAG_failed\n");
            assertThat(out).isEqualTo("HOIST_weather/TAG = v4 (revision 9)\n");
        }

        @Test
        void leaves_a_marker_that_is_not_there_alone() throws IOException {
            spec("weather", "");
            when(kv.put(WEATHER, "v4")).thenReturn(put(WEATHER, 9, "v4"));
            assertThat(run("tag", "weather", "v4")).isEqualTo(ExitCode.OK);
            verify(kv, never()).delete(any());
            assertThat(err).isEmpty();
        }

        @Test
        void create_defaults_to_choria_kv_adds_history_5_and_1_replica() throws IOException {
            spec("weather", "");
            when(kv.put(WEATHER, "v2")).thenThrow(new BucketMissingException("HOIST_weather")).thenReturn(put(WEATHER, 1, "v2"));
            assertThat(run("tag", "weather", "v2", "--create")).isEqualTo(ExitCode.OK);
            verify(kv).create("HOIST_weather", 5, 1);
        }

        @Test
        void create_leaves_an_existing_bucket_alone() throws IOException {
            spec("weather", "");
            when(kv.put(WEATHER, "v2")).thenReturn(put(WEATHER, 9, "v2"));
            assertThat(run("tag", "weather", "v2", "--create")).isEqualTo(ExitCode.OK);
            verify(kv, never()).create(anyString(), anyInt(), anyInt());
        }

        @Test
        void bucket_options_without_create_are_refused() throws IOException {
            spec("weather", "");
            assertThat(run("tag", "weather", "v2", "--history", "3")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "v2", "--replicas", "3")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "--create")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "v2", "--create", "--replicas", "6")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "v2", "--create", "--history", "65")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "v2", "--bucket-history", "3")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "v2", "--create", "--bucket-history", "0")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "--bucket-history", "3")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "--history", "-1")).isEqualTo(ExitCode.BAD_INPUT);
            verifyNoInteractions(kv);
        }

        @Test
        void json_renders_the_written_value() throws IOException {
            spec("weather", "");
            when(kv.put(WEATHER, "v2")).thenReturn(put(WEATHER, 4, "v2"));
            assertThat(run("tag", "weather", "v2", "--json")).isEqualTo(ExitCode.OK);
            assertThat(out).contains("\"tag\": \"v2\"", "\"revision\": 4");
        }

        @Test
        void a_broker_that_cannot_be_reached_exits_5_with_one_line() throws IOException {
            spec("weather", "");
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            Context ctx = new Context(env, store, host -> engine, settings -> {
                throw new KvException("cannot connect to NATS at nats://127.0.0.1:4222 (from HOIST_NATS_URL): connection refused");
            });
            int rc = Cli.run(ctx, new PrintWriter(o), new PrintWriter(e), "tag", "weather", "v2", "--store", store.toString());
            assertThat(rc).isEqualTo(ExitCode.KV_ERROR);
            assertThat(e.toString()).isEqualTo("hoist-cli: cannot connect to NATS at nats://127.0.0.1:4222 (from HOIST_NATS_URL): connection refused\n");
            assertThat(o.toString()).isEmpty();
        }
    }

    @Nested
    class Location {
        @Test
        void comes_from_the_spec_for_the_shared_layout() throws IOException {
            spec("weather", ", \"kv_bucket\": \"HOIST\", \"kv_key\": \"container/weather/tag\"");
            KvLocation shared = KvLocation.shared("HOIST", "weather");
            when(kv.put(shared, "v2")).thenReturn(put(shared, 4, "v2"));
            assertThat(run("tag", "weather", "v2")).isEqualTo(ExitCode.OK);
            assertThat(out).isEqualTo("HOIST/container/weather/tag = v2 (revision 4)\n");
        }

        @Test
        void without_a_spec_is_the_default_layout_silently() {
            when(kv.put(WEATHER, "v2")).thenReturn(put(WEATHER, 4, "v2"));
            assertThat(run("tag", "weather", "v2")).isEqualTo(ExitCode.OK);
            assertThat(err).isEmpty();
            assertThat(out).isEqualTo("HOIST_weather/TAG = v2 (revision 4)\n");
        }

        @Test
        void without_a_spec_verbose_says_the_default_layout_on_stderr() {
            when(kv.put(WEATHER, "v2")).thenReturn(put(WEATHER, 4, "v2"));
            assertThat(run("tag", "weather", "v2", "--verbose")).isEqualTo(ExitCode.OK);
            assertThat(err).contains("no spec for weather at ").contains("using the default layout (bucket HOIST_weather, key TAG)");
            assertThat(out).isEqualTo("HOIST_weather/TAG = v2 (revision 4)\n");
        }

        @Test
        void layout_shared_and_bucket_override_on_a_workstation() {
            KvLocation shared = KvLocation.shared("APPS", "weather");
            when(kv.put(shared, "v2")).thenReturn(put(shared, 4, "v2"));
            assertThat(run("tag", "weather", "v2", "--layout", "shared", "--bucket", "APPS")).isEqualTo(ExitCode.OK);
            assertThat(out).isEqualTo("APPS/container/weather/tag = v2 (revision 4)\n");
            assertThat(err).isEmpty();
        }

        @Test
        void layout_shared_defaults_to_the_bucket_HOIST() {
            KvLocation shared = KvLocation.shared("HOIST", "weather");
            when(kv.get(shared)).thenReturn(Optional.of(put(shared, 4, "v3")));
            assertThat(run("tag", "weather", "--layout", "shared")).isEqualTo(ExitCode.OK);
            assertThat(out).isEqualTo("v3\n");
        }

        @Test
        void overriding_the_specs_location_warns() throws IOException {
            spec("weather", "");
            KvLocation other = new KvLocation("OTHER", "TAG");
            when(kv.put(other, "v2")).thenReturn(put(other, 1, "v2"));
            assertThat(run("tag", "weather", "v2", "--bucket", "OTHER")).isEqualTo(ExitCode.OK);
            assertThat(err).contains("warning: the spec of weather keeps its tag in HOIST_weather/TAG; using OTHER/TAG as asked");
        }

        @Test
        void a_spec_with_kv_update_off_is_used_with_a_warning() throws IOException {
            Files.createDirectories(store.resolve("hoist_weather"));
            Files.writeString(store.resolve("hoist_weather/container.json"), "{\"name\": \"weather\", \"image\": \"example/weather\"}");
            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 1, "v2")));
            assertThat(run("tag", "weather")).isEqualTo(ExitCode.OK);
            assertThat(err).contains("kv_update is off for weather");
        }

        @Test
        void a_broken_spec_is_an_error_not_a_guess() throws IOException {
            spec("weather", ", \"bogus\": 1");
            assertThat(run("tag", "weather", "v2")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).contains("unknown field");
            verifyNoInteractions(kv);
        }

        @Test
        void refuses_bad_names_buckets_and_keys() {
            assertThat(run("tag", "../etc", "v2")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "v2", "--bucket", "a.b")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(run("tag", "weather", "v2", "--key", "a.b")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).contains("cannot be watched by Choria's kv watcher");
            assertThat(run("tag", "weather", "v2", "--layout", "nested")).isEqualTo(ExitCode.BAD_INPUT);
            verifyNoInteractions(kv);
        }
    }

    @Nested
    class Connection {
        @Test
        void takes_the_broker_from_HOIST_NATS_URL() {
            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 1, "v2")));
            run("tag", "weather");
            assertThat(connections).singleElement().satisfies(s -> {
                assertThat(s.servers()).containsExactly("nats://127.0.0.1:4222");
                assertThat(s.source()).isEqualTo("HOIST_NATS_URL");
                assertThat(s.tls()).isNull();
            });
        }

        @Test
        void server_flag_and_tls_files_win_over_the_environment() {
            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 1, "v2")));
            run("tag", "weather", "--server", "b1:4222,tls://b2:4222", "--tls-cert", "/c.pem", "--tls-key", "/k.pem", "--tls-ca", "/ca.pem",
                    "--creds", "/x.creds");
            assertThat(connections).singleElement().satisfies(s -> {
                assertThat(s.servers()).containsExactly("nats://b1:4222", "tls://b2:4222");
                assertThat(s.source()).isEqualTo("--server");
                assertThat(s.tls().cert()).isEqualTo(Path.of("/c.pem"));
                assertThat(s.tls().ca()).isEqualTo(Path.of("/ca.pem"));
                assertThat(s.creds()).isEqualTo(Path.of("/x.creds"));
            });
        }

        @Test
        void takes_a_choria_client_config() throws IOException {
            Path conf = Files.writeString(store.resolve("client.conf"), String.join("\n",
                    "plugin.choria.middleware_hosts = broker1.example.net:4222, nats://broker2.example.net:4222",
                    "plugin.security.provider = file",
                    "plugin.security.file.certificate = /etc/choria/cert.pem",
                    "plugin.security.file.key = /etc/choria/key.pem",
                    "plugin.security.file.ca = /etc/choria/ca.pem"));
            when(kv.get(WEATHER)).thenReturn(Optional.of(put(WEATHER, 1, "v2")));
            assertThat(run("tag", "weather", "--choria-config", conf.toString())).isEqualTo(ExitCode.OK);
            assertThat(connections).singleElement().satisfies(s -> {
                assertThat(s.servers()).containsExactly("nats://broker1.example.net:4222", "nats://broker2.example.net:4222");
                assertThat(s.source()).isEqualTo(conf.toString());
                assertThat(s.tls().key()).isEqualTo(Path.of("/etc/choria/key.pem"));
            });
        }

        @Test
        void a_missing_choria_config_exits_2() {
            assertThat(run("tag", "weather", "--choria-config", store.resolve("nope.conf").toString())).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).contains("cannot read the Choria configuration").contains("no such file");
            verifyNoInteractions(kv);
        }
    }

    @Test
    void help_documents_the_key_not_set_exit_and_the_connection_options() {
        assertThat(run("tag", "--help")).isEqualTo(ExitCode.OK);
        assertThat(out).contains("--server", "--creds", "--tls-cert", "--tls-key", "--tls-ca", "--choria-config",
                "--create", "--history", "--bucket-history", "--replicas", "--layout", "--bucket", "--key", "--json")
                .contains("exits 1").contains("Exit codes:");
    }

    // An operator's bad name is explained in words, not with the name's regular expression.
    @ParameterizedTest
    @ValueSource(strings = {"we ather", "w", "purge", "1web", "web.1", "team/web"})
    void explains_a_bad_container_name_in_words(String name) {
        for (String[] args : List.of(new String[] {"tag", name}, new String[] {"tag", name, "v2"}, new String[] {"rollout", "status", name})) {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).as(String.join(" ", args))
                .contains("is not a container name: a name is a letter, then one or more letters, digits, '_' or '-'")
                .doesNotContain("must match").doesNotContain("^(");
        }
        verifyNoInteractions(kv);
    }
}
