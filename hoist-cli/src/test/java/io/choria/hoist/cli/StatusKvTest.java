package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.kv.BucketMissingException;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status shows the tag in the Key-Value store beside the running one, and survives a KV it cannot reach. */
class StatusKvTest {
    @TempDir Path store;
    Engine engine;
    TagStore kv;
    AtomicInteger connects;
    boolean kvDown;
    String out;
    String err;

    @BeforeEach
    void setUp() throws IOException {
        engine = mock(Engine.class);
        kv = mock(TagStore.class);
        connects = new AtomicInteger();
        spec("web", true);
        spec("api", true);
        spec("plain", false);
        when(engine.find("web")).thenReturn(Optional.empty());
        when(engine.find("plain")).thenReturn(Optional.empty());
    }

    void spec(String name, boolean kvUpdate) throws IOException {
        Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(store.resolve("hoist_" + name + "/container.json"),
                "{\"name\": \"" + name + "\", \"image\": \"example/" + name + "\", \"image_tag\": \"v1\", \"kv_update\": " + kvUpdate + "}");
    }

    static ManagedContainer managed(String name) {
        return new ManagedContainer("0123456789ab" + name, name, "running", "sha256:1", "example/" + name + ":v1", "x", "none",
                "2026-01-01T00:00:00Z", 0, List.of(), Map.of());
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Context ctx = new Context(Map.of("HOIST_NATS_URL", "nats://127.0.0.1:4222"), store.resolve("elsewhere"), host -> engine, settings -> {
            connects.incrementAndGet();
            if (kvDown) {
                throw new KvException("cannot connect to NATS at nats://127.0.0.1:4222 (from HOIST_NATS_URL): connection refused");
            }
            return kv;
        });
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--store";
        all[args.length + 1] = store.toString();
        int rc = Cli.run(ctx, new PrintWriter(o), new PrintWriter(e), all);
        out = o.toString();
        err = e.toString();
        return rc;
    }

    @Test
    void shows_the_kv_tag_beside_the_desired_one() {
        when(kv.get(KvLocation.perContainer("web"))).thenReturn(Optional.of(
                new TagEntry("HOIST_web", "TAG", 3, Instant.EPOCH, TagEntry.PUT, "v2")));
        assertThat(run("status", "web", "--json")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).contains("\"kv_tag\": \"v2\"").contains("\"kv_error\": null").contains("\"desired\": \"example/web:v2\"")
                .as("an operator's status shows what the KV asks for").contains("\"desired_source\": \"kv\"");
        assertThat(run("status", "web")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).contains("KV tag:      v2");
    }

    @Test
    void an_unreachable_kv_is_reported_and_status_carries_on() {
        kvDown = true;
        assertThat(run("status", "web")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).contains("State:       absent")
                .contains("KV tag:      unavailable: cannot connect to NATS at nats://127.0.0.1:4222 (from HOIST_NATS_URL): connection refused");
    }

    @Test
    void asks_an_unreachable_kv_once_for_all_containers() {
        kvDown = true;
        when(engine.listManaged()).thenReturn(List.of(managed("web"), managed("api")));
        assertThat(run("status")).isEqualTo(ExitCode.OK);
        assertThat(connects.get()).isEqualTo(1);
        assertThat(out.split("unavailable: cannot connect", -1)).hasSize(3);
    }

    @Test
    void a_missing_bucket_or_an_invalid_value_is_shown_as_such() {
        when(kv.get(KvLocation.perContainer("web"))).thenThrow(new BucketMissingException("HOIST_web"));
        assertThat(run("status", "web", "--json")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).contains("\"kv_error\": \"unavailable: the Key-Value bucket HOIST_web does not exist\"");

        when(kv.get(KvLocation.perContainer("api"))).thenReturn(Optional.of(
                new TagEntry("HOIST_api", "TAG", 3, Instant.EPOCH, TagEntry.PUT, "v2; rm -rf /")));
        when(engine.find("api")).thenReturn(Optional.empty());
        assertThat(run("status", "api", "--json")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).contains("\"kv_tag\": null").contains("\"kv_error\": \"refused: HOIST_api/TAG holds 'v2; rm -rf /' is not a valid tag");
    }

    @Test
    void an_invalid_kv_value_shows_the_running_tag_as_desired_as_the_machine_keeps_it() {
        ManagedContainer running = new ManagedContainer("0123456789abapi", "api", "running", "sha256:2", "example/api:v2", "x", "none",
                "2026-01-01T00:00:00Z", 0, List.of(), Map.of());
        when(engine.find("api")).thenReturn(Optional.of(running));
        when(kv.get(KvLocation.perContainer("api"))).thenReturn(Optional.of(
                new TagEntry("HOIST_api", "TAG", 4, Instant.EPOCH, TagEntry.PUT, "v3; rm -rf /")));
        assertThat(run("status", "api")).isEqualTo(ExitCode.OK);
        assertThat(out).contains("Desired:     example/api:v2 (from running)").contains("KV tag:      refused: HOIST_api/TAG holds");
    }

    @Test
    void judges_a_kv_value_as_check_and_start_do_and_says_why() {
        when(kv.get(KvLocation.perContainer("web"))).thenReturn(Optional.of(
                new TagEntry("HOIST_web", "TAG", 5, Instant.EPOCH, TagEntry.PUT, " v2\n")));
        assertThat(run("status", "web", "--json")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).contains("\"kv_tag\": \"v2\"", "\"kv_error\": null", "\"desired\": \"example/web:v2\"",
                "\"desired_source\": \"kv\"", "\"desired_reason\": \"HOIST_web/TAG holds v2\"");

        when(kv.get(KvLocation.perContainer("web"))).thenReturn(Optional.of(
                new TagEntry("HOIST_web", "TAG", 6, Instant.EPOCH, TagEntry.PUT, "")));
        assertThat(run("status", "web", "--json")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).as("an empty value is no value: image_tag, nothing refused").contains("\"kv_tag\": null", "\"kv_error\": null",
                "\"desired\": \"example/web:v1\"", "\"desired_source\": \"spec\"");
    }

    @Test
    void an_operators_status_shows_what_start_would_run_when_the_fleet_marked_the_kv_tag() {
        ManagedContainer running = new ManagedContainer("0123456789abweb", "web", "running", "sha256:2", "example/web:v2", "x", "none",
                "2026-01-01T00:00:00Z", 0, List.of(), Map.of());
        when(engine.find("web")).thenReturn(Optional.of(running));
        when(kv.get(KvLocation.perContainer("web"))).thenReturn(Optional.of(
                new TagEntry("HOIST_web", "TAG", 7, Instant.EPOCH, TagEntry.PUT, "v3")));
        when(kv.get(KvLocation.perContainer("web").failedMarker())).thenReturn(Optional.of(
                new TagEntry("HOIST_web", "TAG_failed", 8, Instant.EPOCH, TagEntry.PUT, "v3")));
        assertThat(run("status", "web")).isEqualTo(ExitCode.OK);
        assertThat(out).contains("Desired:     example/web:v2 (from rollback)").contains("KV tag:      v3");
        assertThat(run("status", "web", "--json")).isEqualTo(ExitCode.OK);
        assertThat(out).contains("\"desired_reason\": \"tag v3 is marked failed in HOIST_web/TAG_failed by another node; staying on v2");
    }

    @Test
    void containers_without_kv_update_do_not_touch_the_kv() {
        assertThat(run("status", "plain", "--json")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(connects.get()).isZero();
        assertThat(out).contains("\"kv_tag\": null", "\"kv_error\": null");
    }

    @Test
    void a_key_not_set_is_no_error() {
        when(kv.get(KvLocation.perContainer("web"))).thenReturn(Optional.empty());
        assertThat(run("status", "web", "--json")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).contains("\"kv_tag\": null", "\"kv_error\": null");
        verify(kv, times(1)).get(KvLocation.perContainer("web"));
    }
}
