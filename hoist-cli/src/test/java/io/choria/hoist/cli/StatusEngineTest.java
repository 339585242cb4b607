package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.EngineApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status names the Docker Engine and the API version hoist-cli negotiated with it, in text and --json. */
class StatusEngineTest {
    @TempDir Path store;

    String run(Engine engine, String... args) {
        StringWriter o = new StringWriter();
        Context ctx = new Context(new HashMap<>(), store, host -> engine);
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--store", store.toString()))
                .toArray(String[]::new);
        assertThat(Cli.run(ctx, new PrintWriter(o), new PrintWriter(new StringWriter()), all)).isEqualTo(ExitCode.OK);
        return o.toString();
    }

    @Test
    void shows_the_engine_and_the_api_version_in_use() {
        Engine engine = mock(Engine.class);
        when(engine.listManaged()).thenReturn(List.of());
        when(engine.api()).thenReturn(Optional.of(EngineApi.negotiate("26.1.5", "1.45", "1.24")));
        assertThat(run(engine, "status")).isEqualTo("No Hoist containers\nEngine: Docker 26.1.5, API 1.44 (the Engine speaks 1.24 to 1.45)\n");
        assertThat(run(engine, "status", "--json")).contains("\"engine\": {\n    \"engine_name\": \"Docker\",\n    \"engine_version\": \"26.1.5\",\n"
                + "    \"api_version\": \"1.44\",\n    \"engine_api_version\": \"1.45\",\n    \"engine_min_api_version\": \"1.24\"\n  }");
    }

    @Test
    void an_engine_that_was_not_asked_adds_no_line() {
        Engine engine = mock(Engine.class);
        when(engine.listManaged()).thenReturn(List.of());
        when(engine.api()).thenReturn(Optional.empty());
        assertThat(run(engine, "status")).isEqualTo("No Hoist containers\n");
        assertThat(run(engine, "status", "--json")).contains("\"engine\": null");
    }
}
