package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.lifecycle.StateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status shows why the last start failed here: Last failure, in text and --json. */
class StatusLastFailureTest {
    @TempDir Path store;

    String run(Engine engine, String... args) {
        StringWriter o = new StringWriter();
        Context ctx = new Context(new HashMap<>(), store.resolve("elsewhere"), host -> engine);
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--store", store.toString()))
                .toArray(String[]::new);
        assertThat(Cli.run(ctx, new PrintWriter(o), new PrintWriter(new StringWriter()), all)).isEqualTo(ExitCode.NOT_RUNNING);
        return o.toString();
    }

    @Test
    void shows_the_last_failure_with_its_output() throws IOException {
        Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(store.resolve("hoist_web/container.json"), "{\"name\": \"web\", \"image\": \"example/web\"}");
        Files.writeString(store.resolve("hoist_web").resolve(StateStore.FILE_NAME), "{\"lastFailure\": {\"ref\": \"example/web:v2\","
                + " \"at\": \"2026-11-27T10:00:00Z\", \"reason\": \"example/web:v2 did not become healthy within 15s: it is restarting (restarts 8);"
                + " exit code 1; last output: httpd: bind: Address already in use\"}}");
        Engine engine = mock(Engine.class);
        when(engine.find("web")).thenReturn(Optional.empty());
        assertThat(run(engine, "status", "web")).contains("  Last failure: example/web:v2 at 2026-11-27T10:00:00Z: example/web:v2 did not become healthy"
                + " within 15s: it is restarting (restarts 8); exit code 1; last output: httpd: bind: Address already in use\n");
        assertThat(run(engine, "status", "web", "--json")).contains("\"last_failure\": \"example/web:v2 at 2026-11-27T10:00:00Z: ")
                .contains("httpd: bind: Address already in use");
    }
}
