package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.DockerUnreachableException;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.SpecParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** Command wiring: arguments, exit codes and what goes to stdout and stderr. */
class CliTest {
    @TempDir Path store;
    Engine engine;
    Map<String, String> env;
    String out;
    String err;

    static final String SPEC = "{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"kv_update\": true, "
            + "\"environment\": [\"API_KEY=s3cret\"]}";

    @BeforeEach
    void setUp() throws IOException {
        engine = mock(Engine.class);
        env = new HashMap<>();
        Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(store.resolve("hoist_web/container.json"), SPEC);
    }

    int run(String... args) {
        CliRun r = CliRun.of(new Context(env, store.resolve("elsewhere"), host -> engine), false, args);
        out = r.out();
        err = r.err();
        return r.exitCode();
    }

    String[] withStore(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--store";
        all[args.length + 1] = store.toString();
        return all;
    }

    ManagedContainer running(String tag) {
        var spec = SpecParser.parse(SPEC, "t");
        return new ManagedContainer("0123456789abcdef", "web", "running", "sha256:" + tag, spec.imageRef(tag),
                ContainerPlan.of(spec, tag).specHash(), "none", "2026-01-01T00:00:00Z", 2, List.of("API_KEY=s3cret", "PATH=/bin"), Map.of());
    }

    @Nested
    class Check {
        @Test
        void is_silent_and_exits_0_when_healthy() {
            when(engine.find("web")).thenReturn(Optional.of(running("v1")));
            when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:v1"));
            assertThat(run(withStore("check", "web"))).isEqualTo(ExitCode.OK);
            assertThat(out).isEmpty();
            assertThat(err).isEmpty();
        }

        @Test
        void exits_1_with_one_line_when_missing() {
            when(engine.find("web")).thenReturn(Optional.empty());
            assertThat(run(withStore("check", "web"))).isEqualTo(ExitCode.NOT_RUNNING);
            assertThat(err).isEqualTo("hoist-cli: check failed: no container hoist_web\n");
            assertThat(out).isEmpty();
        }

        @Test
        void exits_3_with_one_line_when_docker_is_unreachable() {
            when(engine.find("web")).thenThrow(new DockerUnreachableException("unix:///nope.sock", new IOException("No such file or directory")));
            assertThat(run(withStore("check", "web"))).isEqualTo(ExitCode.DOCKER_UNREACHABLE);
            assertThat(err).isEqualTo("hoist-cli: cannot reach the Docker Engine at unix:///nope.sock: No such file or directory\n");
        }

        @Test
        void a_malformed_docker_host_is_bad_input() {
            env.put("DOCKER_HOST", "tcp//nowhere");
            assertThat(run(withStore("check", "web"))).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).isEqualTo("hoist-cli: DOCKER_HOST 'tcp//nowhere' is not unix:///PATH or tcp://HOST[:PORT]\n");
            assertThat(run(withStore("status", "--docker-host", "unix://"))).isEqualTo(ExitCode.BAD_INPUT);
            verifyNoInteractions(engine);
        }

        @Test
        void uses_the_kv_tag_from_watcher_data(@TempDir Path tmp) throws IOException {
            env.put("WATCHER_DATA", Files.writeString(tmp.resolve("d.json"), "{\"TAG\": \"v2\"}").toString());
            when(engine.find("web")).thenReturn(Optional.of(running("v1")));
            when(engine.imageId("example/web:v2")).thenReturn(Optional.of("sha256:v2"));
            assertThat(run(withStore("check", "web"))).isEqualTo(ExitCode.NOT_RUNNING);
            assertThat(err).contains("runs example/web:v1, should run example/web:v2");
        }
    }

    @Nested
    class CheckNagios {
        @BeforeEach
        void details() {
            when(engine.details(any())).thenAnswer(i -> i.getArgument(0));
        }

        ManagedContainer startedAt(String tag, java.time.Instant started, int restarts) {
            ManagedContainer c = running(tag);
            return new ManagedContainer(c.id(), c.name(), c.state(), c.imageId(), c.imageRef(), c.specHash(), c.health(),
                    started.toString(), restarts, c.environment(), c.labels());
        }

        @Test
        void ok_is_one_line_with_perfdata_and_exit_0() {
            java.time.Instant started = java.time.Instant.now().minusSeconds(3600);
            when(engine.find("web")).thenReturn(Optional.of(startedAt("v1", started, 2)));
            when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:v1"));
            assertThat(run(withStore("check", "--nagios", "web"))).isEqualTo(0);
            assertThat(out).matches("OK - hoist_web runs example/web:v1, up 360\\ds \\| restarts=2 uptime=360\\ds health_ms=\\d+\n");
            assertThat(err).isEmpty();
        }

        @Test
        void warning_when_docker_restarted_it_within_the_check_interval() {
            when(engine.find("web")).thenReturn(Optional.of(startedAt("v1", java.time.Instant.now().minusSeconds(5), 1)));
            when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:v1"));
            assertThat(run(withStore("check", "--nagios", "web"))).isEqualTo(1);
            assertThat(out).startsWith("WARNING - hoist_web runs example/web:v1, restarted by Docker ")
                    .contains("s ago (1 restart in all) | restarts=1 uptime=");
            assertThat(out.lines()).hasSize(1);
        }

        @Test
        void a_restart_older_than_the_check_interval_is_ok() {
            // check_interval defaults to 3m: a restart 200 s ago was seen by an earlier check.
            when(engine.find("web")).thenReturn(Optional.of(startedAt("v1", java.time.Instant.now().minusSeconds(200), 1)));
            when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:v1"));
            assertThat(run(withStore("check", "--nagios", "web"))).isEqualTo(0);
        }

        @Test
        void critical_when_the_check_fails() {
            when(engine.find("web")).thenReturn(Optional.empty());
            assertThat(run(withStore("check", "--nagios", "web"))).isEqualTo(2);
            assertThat(out).isEqualTo("CRITICAL - no container hoist_web | restarts=0 uptime=0s health_ms=0\n");
            // stderr, which goes to hoist.log only under Choria, says what a failed check always said
            assertThat(err).isEqualTo("hoist-cli: check failed: no container hoist_web\n");
        }

        @Test
        void an_exited_container_has_no_uptime_but_keeps_its_restarts() {
            ManagedContainer c = startedAt("v1", java.time.Instant.now().minusSeconds(60), 3);
            when(engine.find("web")).thenReturn(Optional.of(new ManagedContainer(c.id(), c.name(), "exited", c.imageId(), c.imageRef(),
                    c.specHash(), c.health(), c.startedAt(), c.restartCount(), c.environment(), c.labels())));
            assertThat(run(withStore("check", "--nagios", "web"))).isEqualTo(2);
            assertThat(out).isEqualTo("CRITICAL - hoist_web is exited | restarts=3 uptime=0s health_ms=0\n");
        }

        @Test
        void unknown_without_perfdata_when_docker_is_unreachable() {
            when(engine.find("web")).thenThrow(new DockerUnreachableException("unix:///nope.sock", new IOException("No such file or directory")));
            assertThat(run(withStore("check", "--nagios", "web"))).isEqualTo(3);
            assertThat(out).isEqualTo("UNKNOWN - hoist-cli: cannot reach the Docker Engine at unix:///nope.sock: No such file or directory\n");
            assertThat(err).isEqualTo("hoist-cli: cannot reach the Docker Engine at unix:///nope.sock: No such file or directory\n");
        }

        @Test
        void unknown_for_a_bad_spec_and_a_usage_error() throws IOException {
            Files.writeString(store.resolve("hoist_web/container.json"), "{\"name\": \"web\"");
            assertThat(run(withStore("check", "--nagios", "web"))).isEqualTo(3);
            assertThat(out).startsWith("UNKNOWN - hoist-cli: ").contains("container.json");
            assertThat(run("check", "--nagios")).isEqualTo(3);
            assertThat(run("check")).isEqualTo(ExitCode.BAD_INPUT);
        }

        @Test
        void reads_the_kv_tag_from_machine_data_json_beside_the_spec() throws IOException {
            Files.writeString(store.resolve("hoist_web/machine_data.json"), "{\"TAG\": \"v2\"}");
            when(engine.find("web")).thenReturn(Optional.of(running("v1")));
            when(engine.imageId("example/web:v2")).thenReturn(Optional.of("sha256:v2"));
            assertThat(run(withStore("check", "--nagios", "web"))).isEqualTo(2);
            assertThat(out).startsWith("CRITICAL - hoist_web runs example/web:v1, should run example/web:v2 | restarts=2 ");
        }

        @Test
        void plain_check_keeps_its_exit_codes_and_ignores_machine_data_json() throws IOException {
            Files.writeString(store.resolve("hoist_web/machine_data.json"), "{\"TAG\": \"v2\"}");
            when(engine.find("web")).thenReturn(Optional.of(running("v1")));
            when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:v1"));
            assertThat(run(withStore("check", "web"))).isEqualTo(ExitCode.OK);
            assertThat(out).isEmpty();
        }
    }

    @Nested
    class BadInput {
        @Test
        void unknown_container_exits_2_and_touches_nothing() {
            assertThat(run(withStore("start", "nope"))).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err.lines()).singleElement().asString().startsWith("hoist-cli: unknown container nope: no spec at ");
            verifyNoInteractions(engine);
        }

        @Test
        void a_malformed_spec_exits_2_and_touches_nothing() throws IOException {
            Files.writeString(store.resolve("hoist_web/container.json"), "{\"name\": \"web\", \"image\": \"example/web\", \"ports\": [\"80:http\"]}");
            assertThat(run(withStore("restart", "web"))).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err.lines()).singleElement().asString().contains("field 'ports'");
            verifyNoInteractions(engine);
        }

        @Test
        void an_unreadable_watcher_data_file_exits_2_and_touches_nothing() {
            env.put("WATCHER_DATA", store.resolve("missing.json").toString());
            assertThat(run(withStore("start", "web"))).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err.lines()).singleElement().asString().contains("WATCHER_DATA file").contains("cannot be read");
            verifyNoInteractions(engine);
        }

        @Test
        void usage_errors_exit_2() {
            assertThat(run("check")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).contains("Missing required parameter: 'NAME'");
            assertThat(run("frobnicate")).isEqualTo(ExitCode.BAD_INPUT);
        }
    }

    @Nested
    class Status {
        @Test
        void masks_environment_values_in_text_and_json() {
            when(engine.find("web")).thenReturn(Optional.of(running("v1")));
            when(engine.repoDigests("sha256:v1")).thenReturn(List.of("example/web@sha256:abc"));
            assertThat(run(withStore("status", "web"))).isEqualTo(ExitCode.OK);
            assertThat(out).contains("API_KEY=***").doesNotContain("s3cret").contains("example/web@sha256:abc").contains("Restarts:    2");
            assertThat(run(withStore("status", "web", "--json"))).isEqualTo(ExitCode.OK);
            assertThat(out).contains("\"restart_count\": 2").contains("\"API_KEY=***\"").doesNotContain("s3cret")
                    .contains("\"desired\": \"example/web:v1\"");
        }

        @Test
        void exits_1_for_a_named_container_that_is_absent() {
            when(engine.find("web")).thenReturn(Optional.empty());
            assertThat(run(withStore("status", "web"))).isEqualTo(ExitCode.NOT_RUNNING);
            assertThat(out).contains("State:       absent");
        }
    }

    @Test
    void stop_reports_on_stdout() {
        when(engine.find("web")).thenReturn(Optional.of(running("v1")));
        assertThat(run(withStore("stop", "web"))).isEqualTo(ExitCode.OK);
        assertThat(out).isEqualTo("hoist_web stopped and removed\n");
        verify(engine).remove("0123456789abcdef");
    }

    @Test
    void purge_requires_nothing_but_the_store_and_dry_run_changes_nothing() {
        when(engine.listManaged()).thenReturn(List.of(running("v1")));
        assertThat(run(withStore("purge", "--dry-run"))).isEqualTo(ExitCode.OK);
        verify(engine, never()).remove(anyString());
        verify(engine, never()).create(any());
    }

    @Test
    void purge_refuses_a_negative_stop_wait() {
        assertThat(run(withStore("purge", "--stop-wait", "-1"))).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err).contains("--stop-wait");
        verify(engine, never()).listManaged();
    }

    /** Which subcommands exist: compared as whole names, so that "start" never passes for "restart". */
    @Nested
    class Commands {
        static final List<String> ALL = List.of("check", "start", "stop", "restart", "update", "poll", "status", "purge", "tag", "rollout", "drain", "endpoints");

        /** The command names of --help's "Commands:" section: the first word of each line indented by two spaces. */
        List<String> helpCommands(String help) {
            List<String> section = help.lines().dropWhile(l -> !l.equals("Commands:")).skip(1)
                    .takeWhile(l -> !l.isBlank()).toList();
            assertThat(section).as("--help has a Commands: section").isNotEmpty();
            return section.stream().filter(l -> l.matches("^  \\S.*")).map(l -> l.trim().split("\\s+", 2)[0]).toList();
        }

        /** The subcommands Cli registers for these arguments, in order. */
        List<String> registered(String... args) {
            try (Context ctx = new Context(env, store, host -> engine)) {
                return List.copyOf(Cli.commandLine(ctx, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args)
                        .getSubcommands().keySet());
            }
        }

        @Test
        void hoist_command_declares_exactly_the_nine_subcommands_in_order() {
            assertThat(HoistCommand.SUBCOMMANDS.keySet()).containsExactlyElementsOf(ALL);
        }

        @Test
        void help_registers_and_lists_exactly_every_subcommand() {
            assertThat(registered("--help")).containsExactlyElementsOf(ALL);
            assertThat(run("--help")).isEqualTo(ExitCode.OK);
            assertThat(helpCommands(out)).containsExactlyElementsOf(ALL);
        }

        @Test
        void an_unknown_name_registers_every_subcommand_so_picocli_can_refuse_it() {
            assertThat(registered("frobnicate")).containsExactlyElementsOf(ALL);
            assertThat(registered()).containsExactlyElementsOf(ALL);
        }

        @ParameterizedTest
        @ValueSource(strings = {"check", "start", "stop", "restart", "update", "poll", "status", "purge", "tag", "rollout", "drain", "endpoints"})
        void a_command_line_registers_only_the_subcommand_it_names(String name) {
            assertThat(registered(name, "web")).containsExactly(name);
        }

        @Test
        void an_option_before_the_command_registers_only_that_command_and_picocli_refuses_the_option() {
            // The option's value is not taken for the command: picocli runs the first subcommand name.
            assertThat(registered("--store", store.toString(), "status", "web")).containsExactly("status");
            assertThat(registered("--docker-host", "unix:///x.sock", "check", "web")).containsExactly("check");
            assertThat(run("--store", store.toString(), "status", "web")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err).isEqualTo("hoist-cli: Unknown options: '--store', '" + store + "'\nTry 'hoist-cli --help'.\n");
            verifyNoInteractions(engine);
        }

        @ParameterizedTest
        @ValueSource(strings = {"-h", "--help", "-hV", "-Vh"})
        void a_help_option_before_the_command_shows_the_top_level_help_with_every_subcommand(String help) {
            assertThat(registered(help, "check")).containsExactlyElementsOf(ALL);
            assertThat(run(help, "check")).isEqualTo(ExitCode.OK);
            String withCommand = out;
            assertThat(run(help)).isEqualTo(ExitCode.OK);
            assertThat(withCommand).isEqualTo(out);
            assertThat(helpCommands(withCommand)).containsExactlyElementsOf(ALL);
        }

        @ParameterizedTest
        @ValueSource(strings = {"check", "start", "stop", "restart", "update", "poll", "status", "purge", "tag", "rollout", "drain", "endpoints"})
        void each_subcommands_help_names_it_and_lists_the_exit_codes(String name) {
            assertThat(run(name, "--help")).isEqualTo(ExitCode.OK);
            assertThat(out).startsWith("Usage: hoist-cli " + name + " ");
            assertThat(out).contains("Exit codes:");
        }

        @ParameterizedTest
        @ValueSource(strings = {"check", "start", "stop", "restart", "update", "poll", "status", "purge", "tag", "rollout", "drain", "endpoints"})
        void each_commands_help_lists_every_exit_code_with_its_meaning_and_the_environment(String name) {
            assertThat(run(name, "--help")).isEqualTo(ExitCode.OK);
            String flat = out.replaceAll("\\s+", " ");
            for (String line : ExitCode.HELP) {
                String[] codeAndMeaning = line.trim().split("\\s+", 2);
                assertThat(flat).as(name + " --help, however picocli wraps it").contains(" " + codeAndMeaning[0] + " " + codeAndMeaning[1].replaceAll("\\s+", " "));
            }
            assertThat(flat).contains("Environment: DOCKER_HOST (Engine endpoint)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"status", "start", "promote", "pause", "resume", "abort"})
        void rollouts_own_commands_list_the_exit_codes_too(String name) {
            assertThat(run("rollout", name, "--help")).isEqualTo(ExitCode.OK);
            assertThat(out).startsWith("Usage: hoist-cli rollout " + name + " ");
            assertThat(out.replaceAll("\\s+", " ")).contains("Exit codes: 0 ok").contains(" 70 unexpected error");
        }

        @Test
        void the_top_level_help_is_one_line_per_command_in_at_most_30_lines() {
            assertThat(run("--help")).isEqualTo(ExitCode.OK);
            List<String> lines = out.lines().toList();
            assertThat(lines).as("hoist-cli --help:%n%s", out).hasSizeLessThanOrEqualTo(30);
            List<String> section = lines.stream().dropWhile(l -> !l.equals("Commands:")).skip(1).takeWhile(l -> !l.isBlank()).toList();
            assertThat(section).as("one line per command, no continuation lines").hasSize(ALL.size()).allMatch(l -> l.matches("^  [a-z]+ +\\S.*"));
            assertThat(out).doesNotContain("Exit codes:").contains("Run 'hoist-cli COMMAND --help'");
        }
    }
}
