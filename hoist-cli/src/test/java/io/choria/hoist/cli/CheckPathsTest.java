package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.DockerUnreachableException;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.SpecParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} runs without picocli ({@link LeanCheck}) when its command line is plain, and with
 * picocli otherwise: every command line here gives the same exit code, stdout and stderr both ways.
 */
class CheckPathsTest {
    @TempDir Path store;
    Engine engine;
    Map<String, String> env;

    static final String SPEC = "{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"kv_update\": true}";

    @BeforeEach
    void setUp() throws IOException {
        engine = mock(Engine.class);
        env = new HashMap<>();
        Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(store.resolve("hoist_web/container.json"), SPEC);
        Files.createDirectories(store.resolve("hoist_bad"));
        Files.writeString(store.resolve("hoist_bad/container.json"), "{\"name\": \"bad\", \"image\": \"Example/web\"}");
        var spec = SpecParser.parse(SPEC, "t");
        ManagedContainer c = new ManagedContainer("0123456789abcdef", "web", "running", "sha256:v1", spec.imageRef("v1"),
                ContainerPlan.of(spec, "v1").specHash(), "none", null, 0, List.of(), Map.of());
        when(engine.find("web")).thenReturn(Optional.of(c));
        when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:v1"));
        when(engine.details(c)).thenReturn(c);
    }

    CliRun run(boolean picocliOnly, String... args) {
        return CliRun.of(new Context(env, store.resolve("elsewhere"), host -> engine), picocliOnly, args);
    }

    /** The command lines the lean path takes, with what each must give. */
    List<String[]> plain() {
        String s = store.toString();
        String spec = store.resolve("hoist_web/container.json").toString();
        List<String[]> l = new ArrayList<>();
        l.add(new String[] {"check", "web", "--store", s});
        l.add(new String[] {"check", "--store", s, "web"});
        l.add(new String[] {"check", "--store=" + s, "web"});
        l.add(new String[] {"check", "web", "--spec", spec});
        l.add(new String[] {"check", "--spec=" + spec, "web", "--store", s});
        l.add(new String[] {"check", "web", "--store", s, "--docker-host", "unix:///var/run/other.sock"});
        l.add(new String[] {"check", "--docker-host=tcp//nowhere", "web", "--store", s});
        l.add(new String[] {"check", "nope", "--store", s});
        l.add(new String[] {"check", "bad", "--store", s});
        l.add(new String[] {"check", "Not_a/name", "--store", s});
        l.add(new String[] {"check", "web", "--store", store.resolve("missing").toString()});
        l.add(new String[] {"check", "web", "--store", s, "--spec", store.resolve("none.json").toString()});
        // The Nagios form: one line on stdout and 0-3, errors included.
        l.add(new String[] {"check", "--nagios", "web", "--store", s});
        l.add(new String[] {"check", "web", "--store=" + s, "--nagios"});
        l.add(new String[] {"check", "--nagios", "nope", "--store", s});
        l.add(new String[] {"check", "--nagios", "bad", "--store", s});
        return l;
    }

    /** Command lines left to picocli: help, usage errors, anything unusual. */
    static final String[][] LEFT_TO_PICOCLI = {
        {"check"},
        {"check", "--help"},
        {"check", "-h"},
        {"check", "web", "-V"},
        {"check", "web", "other"},
        {"check", "web", "--store"},
        {"check", "web", "--store="},
        {"check", "web", "--store", "a", "--store", "b"},
        {"check", "web", "--stroe", "x"},
        {"check", "web", "--spec", "-x"},
        {"check", "--", "web"},
        {"check", "-x", "web"},
        {"check", "@args.txt"},
        {"check", ""},
        {"check", "web", "--json"},
        {"check", "web", "--nagios", "--nagios"},
        {"check", "web", "--nagios=true"},
    };

    @Test
    void every_plain_check_takes_the_lean_path_and_answers_as_picocli_does() {
        for (String[] args : plain()) {
            assertThat(LeanCheck.parse(args)).as(String.join(" ", args)).isNotNull();
            assertThat(run(false, args)).as(String.join(" ", args)).isEqualTo(run(true, args));
        }
    }

    @Test
    void check_nagios_takes_the_lean_path_with_its_one_line_and_0_to_3() {
        String s = store.toString();
        assertThat(LeanCheck.parse(new String[] {"check", "--nagios", "web", "--store", s}).nagios).isTrue();
        assertThat(run(false, "check", "--nagios", "web", "--store", s))
                .isEqualTo(new CliRun(0, "OK - hoist_web runs example/web:v1, up 0s | restarts=0 uptime=0s health_ms=0\n", ""));
        CliRun missing = run(false, "check", "--nagios", "nope", "--store", s);
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.out()).startsWith("UNKNOWN - hoist-cli: ").doesNotContain("\n\n");
        when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:other"));
        CliRun critical = run(false, "check", "--nagios", "web", "--store", s);
        assertThat(critical).isEqualTo(run(true, "check", "--nagios", "web", "--store", s));
        assertThat(critical.exitCode()).isEqualTo(2);
        assertThat(critical.out()).isEqualTo("CRITICAL - hoist_web runs an earlier image of example/web:v1 (the tag moved)"
                + " | restarts=0 uptime=0s health_ms=0\n");
    }

    @Test
    void the_lean_path_answers_each_outcome_as_picocli_does() {
        String[] args = {"check", "web", "--store", store.toString()};
        assertThat(run(false, args)).isEqualTo(new CliRun(0, "", ""));
        when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:other"));
        assertThat(run(false, args)).isEqualTo(run(true, args))
                .isEqualTo(new CliRun(1, "", "hoist-cli: check failed: hoist_web runs an earlier image of example/web:v1 (the tag moved)\n"));
        doThrow(new DockerUnreachableException("unix:///nope.sock", new IOException("No such file or directory"))).when(engine).find("web");
        assertThat(run(false, args)).isEqualTo(run(true, args))
                .isEqualTo(new CliRun(3, "", "hoist-cli: cannot reach the Docker Engine at unix:///nope.sock: No such file or directory\n"));
        doThrow(new IllegalStateException("a bug")).when(engine).find("web");
        CliRun lean = run(false, args);
        assertThat(lean.exitCode()).isEqualTo(70);
        assertThat(lean.err()).startsWith("java.lang.IllegalStateException: a bug");
        // The stack trace shows the path it took; the rest is the same.
        CliRun picocli = run(true, args);
        assertThat(picocli.exitCode()).isEqualTo(70);
        assertThat(lean.err().lines().findFirst()).isEqualTo(picocli.err().lines().findFirst());
    }

    @Test
    void help_and_usage_errors_are_picocli_s() {
        for (String[] args : LEFT_TO_PICOCLI) {
            assertThat(LeanCheck.parse(args)).as(String.join(" ", args)).isNull();
            assertThat(run(false, args)).as(String.join(" ", args)).isEqualTo(run(true, args));
        }
        CliRun missing = run(false, "check");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("hoist-cli: Missing required parameter: 'NAME'\nTry 'hoist-cli check --help'.\n");
        CliRun help = run(false, "check", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: hoist-cli check [-hV] [--nagios] [--docker-host=URL] [--spec=FILE]");
    }
}
