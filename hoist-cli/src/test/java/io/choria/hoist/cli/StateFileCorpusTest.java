package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.lifecycle.StateStore;
import io.choria.hoist.spec.SpecParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Damaged and foreign hoist-state.json files, fed to check, start, restart and status through the
 * command wiring: whatever the file holds, no command crashes (exit 70); what cannot be read is
 * forgotten with one warning, and the next start writes a clean file.
 */
class StateFileCorpusTest {
    static final String SPEC = "{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"min_healthy_time\": \"0s\","
            + " \"environment\": [\"API_KEY=s3cret\"]}";
    static final String GOOD = "{\"image\": \"example/web\", \"tag\": \"v1\", \"imageId\": \"sha256:v1\", \"at\": \"2026-11-27T10:00:00Z\"}";

    @TempDir Path store;
    Engine engine;
    String out;
    String err;

    static Stream<Arguments> corpus() {
        List<Arguments> all = new ArrayList<>();
        all.add(Arguments.of("empty file", ""));
        all.add(Arguments.of("whitespace only", " \n\t\n"));
        all.add(Arguments.of("truncated", "{\"lastGood\": {\"image\": \"example/web\", \"ta"));
        all.add(Arguments.of("empty object", "{}"));
        all.add(Arguments.of("JSON null", "null"));
        all.add(Arguments.of("array instead of object", "[{\"lastGood\": " + GOOD + "}]"));
        all.add(Arguments.of("a string", "\"hoist\""));
        all.add(Arguments.of("a number", "42"));
        all.add(Arguments.of("every fact null", "{\"lastGood\": null, \"failed\": null, \"startFailures\": null}"));
        all.add(Arguments.of("lastGood empty", "{\"lastGood\": {}}"));
        all.add(Arguments.of("lastGood fields null", "{\"lastGood\": {\"image\": null, \"tag\": null}}"));
        all.add(Arguments.of("lastGood without tag", "{\"lastGood\": {\"image\": \"example/web\"}}"));
        all.add(Arguments.of("lastGood a string", "{\"lastGood\": \"example/web:v1\"}"));
        all.add(Arguments.of("lastGood wrong types", "{\"lastGood\": {\"image\": 5, \"tag\": true, \"at\": {}}}"));
        all.add(Arguments.of("lastGood tag an array", "{\"lastGood\": {\"image\": \"example/web\", \"tag\": [\"v1\"]}}"));
        all.add(Arguments.of("lastGood an array", "{\"lastGood\": [\"example/web\", \"v1\"]}"));
        all.add(Arguments.of("startFailures without ref", "{\"startFailures\": {\"count\": 2, \"retryAfter\": \"2026-11-27T10:00:00Z\"}}"));
        all.add(Arguments.of("startFailures only ref", "{\"startFailures\": {\"ref\": \"example/web:v1\"}}"));
        all.add(Arguments.of("startFailures wrong types", "{\"startFailures\": {\"ref\": \"example/web:v1\", \"count\": \"two\", \"retryAfter\": \"tomorrow\"}}"));
        all.add(Arguments.of("startFailures huge values", "{\"startFailures\": {\"ref\": \"example/web:v1\", \"count\": 1e300, \"retryAfter\": \"9999-12-31T23:59:59Z\"}}"));
        all.add(Arguments.of("startFailures count at int max", "{\"startFailures\": {\"ref\": \"example/web:v1\", \"count\": 2147483647, \"retryAfter\": \"2000-01-01T00:00:00Z\"}}"));
        all.add(Arguments.of("startFailures negative count", "{\"startFailures\": {\"ref\": \"example/web:v1\", \"count\": -3, \"retryAfter\": \"2000-01-01T00:00:00Z\"}}"));
        all.add(Arguments.of("startFailures far in the future", "{\"startFailures\": {\"ref\": \"example/web:v1\", \"count\": 3, \"retryAfter\": \"9999-12-31T23:59:59Z\"}}"));
        all.add(Arguments.of("failed tag not a tag", "{\"lastGood\": " + GOOD + ", \"failed\": {\"image\": \"example/web\", \"tag\": \"v1 && reboot\", \"reason\": \"x\"}}"));
        all.add(Arguments.of("failed without image", "{\"failed\": {\"tag\": \"v1\"}}"));
        all.add(Arguments.of("huge reason", "{\"failed\": {\"image\": \"example/web\", \"tag\": \"v9\", \"reason\": \"" + "x".repeat(60_000) + "\"}}"));
        all.add(Arguments.of("file over 64 KiB", "{\"lastGood\": " + GOOD + "}" + " ".repeat(70_000)));
        all.add(Arguments.of("another release: extra fields", "{\"format\": 99, \"nodes\": [1, 2, {}], \"lastGood\": {\"image\": \"example/web\", \"tag\": \"v1\", "
                + "\"digest\": \"sha256:abc\", \"labels\": {\"a\": [null]}}, \"startFailures\": {\"ref\": \"example/web:v1\", \"count\": 1, "
                + "\"retryAfter\": \"2000-01-01T00:00:00Z\", \"why\": null}}"));
        all.add(Arguments.of("an older release: flat fields", "{\"lastGoodTag\": \"v1\", \"failedTag\": \"v2\", \"failures\": 3}"));
        all.add(Arguments.of("deep nesting", "[".repeat(5000) + "]".repeat(5000)));
        all.add(Arguments.of("deep nesting inside a fact", "{\"lastGood\": " + "{\"a\": ".repeat(3000) + "1" + "}".repeat(3000) + "}"));
        all.add(Arguments.of("binary bytes", "\u0000\u0001\u00ff\ufffd{\"lastGood\""));
        all.add(Arguments.of("byte order mark", "\ufeff{\"lastGood\": " + GOOD + "}"));
        all.add(Arguments.of("unicode tag", "{\"lastGood\": {\"image\": \"example/web\", \"tag\": \"v\u00e9\u4e2d\ud83d\ude00\"}}"));
        all.add(Arguments.of("duplicate keys", "{\"lastGood\": " + GOOD + ", \"lastGood\": null}"));
        all.add(Arguments.of("lenient JSON", "{lastGood: {image: 'example/web', tag: 'v1'}, // comment\n}"));
        all.add(Arguments.of("a valid file", "{\"lastGood\": " + GOOD + "}"));
        return all.stream();
    }

    @BeforeEach
    void setUp() throws IOException {
        engine = mock(Engine.class);
        Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(store.resolve("hoist_web/container.json"), SPEC);
        ManagedContainer current = container("0123456789abcdef", "v1");
        ManagedContainer fresh = container("fedcba9876543210", "v1");
        when(engine.find("web")).thenReturn(Optional.of(current));
        when(engine.listManaged()).thenReturn(List.of(current));
        when(engine.imageId(anyString())).thenAnswer(i -> Optional.of("sha256:" + i.getArgument(0, String.class).replaceAll(".*[:@]", "")));
        when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of(current.id()));
        when(engine.create(any())).thenReturn(fresh.id());
        when(engine.inspect(fresh.id())).thenReturn(Optional.of(fresh));
        when(engine.inspect(current.id())).thenReturn(Optional.of(current));
        when(engine.repoDigests(anyString())).thenReturn(List.of());
    }

    static ManagedContainer container(String id, String tag) {
        var spec = SpecParser.parse(SPEC, "t");
        return new ManagedContainer(id, "web", "running", "sha256:" + tag, spec.imageRef(tag),
                ContainerPlan.of(spec, tag).specHash(), "none", "2026-01-01T00:00:00Z", 0, List.of("API_KEY=s3cret"), Map.of());
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Context ctx = new Context(new HashMap<>(), store.resolve("elsewhere"), host -> engine);
        String[] all = Stream.concat(Stream.of(args), Stream.of("--store", store.toString())).toArray(String[]::new);
        int rc = Cli.run(ctx, new PrintWriter(o), new PrintWriter(e), all);
        out = o.toString();
        err = e.toString();
        return rc;
    }

    Path stateFile() {
        return store.resolve("hoist_web").resolve(StateStore.FILE_NAME);
    }

    void damage(String content) throws IOException {
        Files.write(stateFile(), content.getBytes(StandardCharsets.UTF_8));
    }

    void assertNoCrash(String command, int rc, Set<Integer> allowed) {
        assertThat(rc).as(command + ": " + err).isNotEqualTo(ExitCode.SOFTWARE).isIn(allowed);
        assertThat(err).as(command).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err.lines().filter(l -> l.contains("warning") && l.contains(StateStore.FILE_NAME))).as(command + " warns at most once").hasSizeLessThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void no_command_crashes_on_it(String what, String content) throws IOException {
        damage(content);
        assertNoCrash("check", run("check", "web"), Set.of(ExitCode.OK, ExitCode.NOT_RUNNING));
        damage(content);
        assertNoCrash("status", run("status", "web"), Set.of(ExitCode.OK));
        damage(content);
        assertNoCrash("status --json", run("status", "--json"), Set.of(ExitCode.OK));
        damage(content);
        assertNoCrash("start", run("start", "web"), Set.of(ExitCode.OK));
        damage(content);
        assertNoCrash("restart", run("restart", "web"), Set.of(ExitCode.OK));
        // The start wrote a clean file: read again, it raises no warning.
        assertNoCrash("check after restart", run("check", "web"), Set.of(ExitCode.OK));
        assertThat(err).doesNotContain(StateStore.FILE_NAME);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void stop_and_update_do_not_crash_on_it(String what, String content) throws IOException {
        damage(content);
        assertNoCrash("update", run("update", "web"), Set.of(ExitCode.OK));
        damage(content);
        assertNoCrash("stop", run("stop", "web"), Set.of(ExitCode.OK));
    }

    @org.junit.jupiter.api.Test
    void a_state_file_that_is_a_folder_is_forgotten_and_a_start_says_it_cannot_write_it() throws IOException {
        Files.createDirectories(stateFile());
        assertNoCrash("check", run("check", "web"), Set.of(ExitCode.OK));
        assertThat(err).contains(StateStore.FILE_NAME);
        assertNoCrash("status", run("status", "web"), Set.of(ExitCode.OK));
        assertNoCrash("start", run("start", "web"), Set.of(ExitCode.FILE_ERROR));
        assertThat(err.lines().filter(l -> l.startsWith("hoist-cli: cannot write"))).hasSize(1);
    }
}
