package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.rollout.MemoryKv;
import io.choria.hoist.rollout.NodeReport;
import io.choria.hoist.spec.KvLocation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hoist-cli rollout's wiring: parsing, exit codes, text and JSON, against a KV in memory. */
class RolloutCommandTest {
    @TempDir Path store;
    final MemoryKv kv = new MemoryKv().bucket("HOIST_web").bucket("HOIST_STATUS");
    String out;
    String err;

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Context ctx = new Context(Map.of("HOIST_NATS_URL", "nats://127.0.0.1:1"), store, host -> mock(Engine.class), s -> kv);
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--store", store.toString()))
                .toArray(String[]::new);
        int rc = Cli.run(ctx, new PrintWriter(o), new PrintWriter(e), all);
        out = o.toString();
        err = e.toString();
        return rc;
    }

    void report(String node, String tag) {
        kv.putRaw("HOIST_STATUS", "web." + node, new NodeReport(node, "web", tag, "sha256:1", tag, true, "2026-12-03T10:00:00Z", "RUN",
                tag, null, null, null, null, "2026-12-03T10:00:00Z").toJson());
    }

    @Test
    void start_canary_then_status_then_promote() {
        kv.put(KvLocation.perContainer("web"), "v1");
        assertThat(run("rollout", "start", "web", "v2", "--canary", "1")).as(err).isEqualTo(ExitCode.OK);
        assertThat(err).contains("v1 -> v2, 1 canary first");
        report("n1.example", "v2");
        report("n2.example", "v1");
        assertThat(run("rollout", "status", "web")).as(err).isEqualTo(ExitCode.OK);
        assertThat(out).contains("NODE").contains("n1.example  v2").contains("canaries healthy").contains("v2: 1 healthy; v1: 1");
        assertThat(run("rollout", "status", "web", "--json")).isEqualTo(ExitCode.OK);
        assertThat(out).contains("\"verdict\": \"canaries_healthy\"").contains("\"identity\": \"n2.example\"");
        assertThat(run("rollout", "promote", "web")).as(err).isEqualTo(ExitCode.OK);
        assertThat(out).contains("promoted; now rolling");
        assertThat(run("rollout", "status", "web")).as("in progress: exit 1").isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(out).contains("in progress");
    }

    @Test
    void pause_resume_and_abort_say_what_they_did() {
        kv.put(KvLocation.perContainer("web"), "v1");
        assertThat(run("rollout", "start", "web", "v2", "--canary", "1")).as(err).isEqualTo(ExitCode.OK);
        assertThat(run("rollout", "pause", "web")).as(err).isEqualTo(ExitCode.OK);
        assertThat(out).contains(" of web (v2): paused; now ");
        assertThat(run("rollout", "resume", "web")).as(err).isEqualTo(ExitCode.OK);
        assertThat(out).contains(" of web (v2): resumed; now ");
        assertThat(run("rollout", "abort", "web")).as(err).isEqualTo(ExitCode.OK);
        assertThat(out).contains(" of web (v2): aborted; now ");
    }

    // An operator's machine has no machine store: the default layout is used without a word,
    // unless --verbose asks (issue 26: rollout status said it three times).
    @Test
    void status_on_a_machine_without_the_spec_says_nothing_of_the_layout_unless_verbose() {
        kv.put(KvLocation.perContainer("web"), "v1");
        report("n1.example", "v1");
        assertThat(run("rollout", "status", "web")).as(err).isEqualTo(ExitCode.OK);
        assertThat(out).contains("n1.example  v1");
        assertThat(err).isEmpty();
        assertThat(run("rollout", "status", "web", "--verbose")).as(err).isEqualTo(ExitCode.OK);
        assertThat(err).contains("no spec for web at ").contains("using the default layout (bucket HOIST_web, key TAG)");
    }

    @Test
    void watch_prints_plain_lines_when_not_a_terminal_and_stops_when_complete() {
        kv.put(KvLocation.perContainer("web"), "v2");
        report("n1.example", "v2");
        assertThat(run("rollout", "status", "web", "--watch")).isEqualTo(ExitCode.OK);
        assertThat(out.lines().findFirst().orElse("")).matches("\\d\\d:\\d\\d:\\d\\d complete: 1/1 on v2; v2: 1 healthy");
        assertThat(out).doesNotContain("\r");
    }

    @Test
    void watch_waits_out_a_broker_that_fails_for_a_while_even_at_its_first_read() {
        kv.put(KvLocation.perContainer("web"), "v2");
        report("n1.example", "v1");
        int[] reads = {0};
        io.choria.hoist.kv.TagStore flaky = new io.choria.hoist.kv.TagStore() {
            public java.util.Optional<io.choria.hoist.kv.TagEntry> get(KvLocation l) {
                return kv.get(l);
            }

            public java.util.List<io.choria.hoist.kv.TagEntry> history(KvLocation l) {
                return kv.history(l);
            }

            public io.choria.hoist.kv.TagEntry put(KvLocation l, String v) {
                return kv.put(l, v);
            }

            public void delete(KvLocation l) {
                kv.delete(l);
            }

            public void create(String b, int h, int r) {
            }

            public java.util.Map<String, io.choria.hoist.kv.TagEntry> entries(String b, String f) {
                reads[0]++;
                if (reads[0] == 1 || reads[0] == 2) {
                    throw new io.choria.hoist.kv.KvException("Timeout or no response waiting for NATS JetStream server");
                }
                if (reads[0] == 4) {
                    report("n1.example", "v2");
                }
                return kv.entries(b, f);
            }

            public void close() {
            }
        };
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Context ctx = new Context(Map.of("HOIST_NATS_URL", "nats://127.0.0.1:1"), store, host -> mock(Engine.class), s -> flaky);
        int rc = Cli.run(ctx, new PrintWriter(o), new PrintWriter(e), "rollout", "status", "web", "--watch", "--store", store.toString());
        assertThat(rc).as(e.toString()).isEqualTo(ExitCode.OK);
        assertThat(e.toString()).contains("cannot read the rollout of web now").contains("trying again");
        assertThat(o.toString()).contains("in progress: 0/1 on v2").contains("complete: 1/1 on v2");
    }

    @Test
    void without_a_local_spec_status_uses_the_default_layout_silently_and_says_so_once_under_verbose() {
        kv.put(KvLocation.perContainer("web"), "v2");
        report("n1.example", "v2");
        assertThat(run("rollout", "status", "web")).as(err).isEqualTo(ExitCode.OK);
        assertThat(err).isEmpty();
        assertThat(out).contains("n1.example  v2");
        assertThat(run("rollout", "status", "web", "--verbose")).as(err).isEqualTo(ExitCode.OK);
        assertThat(err.lines()).singleElement().asString()
                .contains("no spec for web at ").contains("using the default layout (bucket HOIST_web, key TAG)");
    }

    @Test
    void a_bad_container_name_is_explained_in_words() {
        assertThat(run("rollout", "status", "web.app")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err.lines()).singleElement().asString()
                .contains("'web.app' is not a container name: a name is a letter followed by at least one more letter, digit, '_' or '-'")
                .contains("'purge' is reserved")
                .doesNotContain("^").doesNotContain("[a-zA-Z]");
    }

    @Test
    void bad_input_is_one_line_and_changes_nothing() {
        kv.put(KvLocation.perContainer("web"), "v1");
        assertThat(run("rollout", "start", "web", "v2", "--deadline", "soon")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err.lines()).singleElement().asString().contains("--deadline 'soon' is not a duration");
        assertThat(run("rollout", "start", "web", "bad tag!")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(run("rollout", "start", "web", "v2", "--auto-revert")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(kv.get(KvLocation.perContainer("web")).get().value()).isEqualTo("v1");
        assertThat(run("rollout", "pause", "web")).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(err).contains("no rollout to pause");
    }
}
