package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.startup.LeanCommandLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} runs without picocli ({@link LeanCommands}) when its command line is plain, and
 * with picocli otherwise: every command line here gives the same exit code, stdout and stderr both ways.
 */
class StatusPathsTest {
    @TempDir Path store;
    Engine engine;
    Map<String, String> env;

    static final String SPEC = "{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"environment\": [\"KEY=s3cret\"]}";

    @BeforeEach
    void setUp() throws IOException {
        engine = mock(Engine.class);
        env = new HashMap<>();
        Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(store.resolve("hoist_web/container.json"), SPEC);
        var spec = SpecParser.parse(SPEC, "t");
        ManagedContainer web = new ManagedContainer("0123456789abcdef", "web", "running", "sha256:v1", spec.imageRef("v1"),
                ContainerPlan.of(spec, "v1").specHash(), "healthy", "2026-01-01T00:00:00Z", 3, List.of("KEY=s3cret"), Map.of());
        ManagedContainer gone = new ManagedContainer("fedcba9876543210", "gone", "exited", "sha256:v0", "example/gone:v0",
                "x", "none", null, 0, List.of(), Map.of());
        when(engine.find("web")).thenReturn(Optional.of(web));
        when(engine.find("nope")).thenReturn(Optional.empty());
        when(engine.listManaged()).thenReturn(List.of(web, gone));
        when(engine.repoDigests("sha256:v1")).thenReturn(List.of("example/web@sha256:abc"));
    }

    CliRun run(boolean picocliOnly, String... args) {
        return CliRun.of(new Context(env, store.resolve("elsewhere"), host -> engine), picocliOnly, args);
    }

    @Test
    void every_plain_status_takes_the_lean_path_and_answers_as_picocli_does() {
        String s = store.toString();
        String[][] plain = {
            {"status", "web", "--store", s},
            {"status", "--store", s},
            {"status", "--json", "--store=" + s},
            {"status", "web", "--json", "--store", s},
            {"status", "--store", s, "--docker-host", "unix:///var/run/other.sock", "web"},
            {"status", "--docker-host=tcp//nowhere", "--store", s},
            {"status", "nope", "--store", s},
            {"status", "Not_a/name", "--store", s},
        };
        for (String[] args : plain) {
            assertThat(LeanCommandLine.status(args)).as(String.join(" ", args)).isNotNull();
            assertThat(run(false, args)).as(String.join(" ", args)).isEqualTo(run(true, args));
        }
        CliRun one = run(false, "status", "web", "--store", s);
        assertThat(one.exitCode()).isZero();
        assertThat(one.out()).contains("KEY=***").doesNotContain("s3cret").contains("example/web@sha256:abc");
        CliRun all = run(false, "status", "--json", "--store", s);
        assertThat(all.out()).contains("\"name\": \"gone\"").contains("\"name\": \"web\"");
    }

    @Test
    void help_usage_errors_and_the_key_value_options_are_picocli_s() {
        String[][] left = {
            {"status", "--help"},
            {"status", "-h"},
            {"status", "web", "other"},
            {"status", "--json", "--json"},
            {"status", "--json=true"},
            {"status", "--store"},
            {"status", "web", "--spec", "x.json"},
            {"status", "web", "--server", "nats://127.0.0.1:1"},
            {"status", "--", "web"},
            {"status", "@args.txt"},
        };
        for (String[] args : left) {
            assertThat(LeanCommandLine.status(args)).as(String.join(" ", args)).isNull();
            assertThat(run(false, args)).as(String.join(" ", args)).isEqualTo(run(true, args));
        }
        assertThat(run(false, "status", "--help").out()).startsWith("Usage: hoist-cli status");
    }
}
