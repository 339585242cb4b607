package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.Engine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed input gives exactly one stderr line naming the file and what is wrong; no library help links. */
class OneLineErrorsTest {
    @TempDir Path store;
    Engine engine;
    Map<String, String> env;
    String err;

    @BeforeEach
    void setUp() throws IOException {
        engine = mock(Engine.class);
        env = new HashMap<>();
        Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(store.resolve("hoist_web/container.json"), "{\"name\": \"web\", \"image\": \"example/web\"}");
    }

    int run(String... args) {
        StringWriter e = new StringWriter();
        Context ctx = new Context(env, store.resolve("elsewhere"), host -> engine);
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--store", store.toString()))
                .toArray(String[]::new);
        int rc = Cli.run(ctx, new PrintWriter(new StringWriter()), new PrintWriter(e), all);
        err = e.toString();
        return rc;
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\": \"web\", \"image\": ", "{\"name\": \"web\",}", "{\"name\" \"web\"}", "{'name': 'web'}",
        "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "{\"name\": \"web\"} trailing", "\u0000"})
    void a_malformed_container_json_is_one_line(String text) throws IOException {
        Files.writeString(store.resolve("hoist_web/container.json"), text);
        for (String command : new String[] {"check", "start", "status"}) {
            assertThat(run(command, "web")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err.lines()).as(command).singleElement().asString()
                    .startsWith("hoist-cli: " + store.resolve("hoist_web/container.json"))
                    .doesNotContain("http").doesNotContain("Troubleshooting");
        }
        verify(engine, never()).create(any());
        verify(engine, never()).remove(anyString());
    }

    @Test
    void a_spec_that_is_not_utf8_is_one_line() throws IOException {
        Files.write(store.resolve("hoist_web/container.json"), new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});
        assertThat(run("start", "web")).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(err.lines()).singleElement().asString().contains("container.json").contains("not UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"TAG\": ", "{\"TAG\": \"v2\",,}", "[\"TAG\"]", "\"v2\"", "{\"TAG\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[}"})
    void a_malformed_watcher_data_file_is_one_line(String text) throws IOException {
        Path data = Files.writeString(store.resolve("data.json"), text);
        env.put("WATCHER_DATA", data.toString());
        for (String command : new String[] {"check", "start", "update"}) {
            assertThat(run(command, "web")).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(err.lines()).as(command).singleElement().asString()
                    .startsWith("hoist-cli: WATCHER_DATA file " + data).doesNotContain("http");
        }
        verifyNoInteractions(engine);
    }

    @Test
    void a_library_message_loses_its_help_link_and_line_breaks() {
        String gson = "Unterminated object at line 1 column 5 path $.name\nSee https://github.com/google/gson/blob/main/Troubleshooting.md#malformed-json";
        assertThat(HoistException.oneLine(gson, 200)).isEqualTo("Unterminated object at line 1 column 5 path $.name");
        assertThat(HoistException.oneLine("a\r\nb", 200)).isEqualTo("a b");
        assertThat(HoistException.oneLine("x".repeat(300), 10)).isEqualTo("xxxxxxxxxx...");
    }
}
