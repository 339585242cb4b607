package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.LastOutput;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.WatcherData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A start that fails its health gate says why: the container's exit code and last lines, masked. */
class FailureEvidenceTest {
    Engine engine;
    List<String> warnings;
    LifecycleTest.FakeClock clock;
    LifecycleTest.MemoryStore store;
    Lifecycle lifecycle;
    ContainerSpec spec;

    @BeforeEach
    void setUp() {
        engine = mock(Engine.class);
        warnings = new ArrayList<>();
        clock = new LifecycleTest.FakeClock();
        store = new LifecycleTest.MemoryStore();
        lifecycle = new Lifecycle(engine, warnings::add, clock::advance, clock);
        spec = SpecParser.parse("{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v2\", \"start_timeout\": \"15s\","
                + " \"environment\": [\"API_KEY=s3cret-value\", \"DB_URL=postgres://u:pw@db/x\", \"EMPTY=\"]}", "t");
        when(engine.find("web")).thenReturn(Optional.empty());
        when(engine.imageId(any())).thenReturn(Optional.of("sha256:1"));
        when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.empty());
        when(engine.create(any())).thenReturn("new");
        when(engine.inspect("new")).thenReturn(Optional.of(container("restarting", "v2")));
        when(engine.lastOutput("new", 5)).thenReturn(new LastOutput(List.of(
                "starting with key s3cret-value",
                "connecting to postgres://u:pw@db/x",
                "x".repeat(500),
                "line four",
                "line five",
                "httpd: bind: Address already in use"), 1L));
    }

    ManagedContainer container(String state, String tag) {
        return new ManagedContainer("new", "web", state, "sha256:1", spec.imageRef(tag), ContainerPlan.of(spec, tag).specHash(), "none",
                "2026-01-01T00:00:00Z", "running".equals(state) ? 0 : 8, List.of(), Map.of());
    }

    @Test
    void the_error_carries_the_exit_code_and_the_last_lines_masked_and_cut() {
        assertThatThrownBy(() -> lifecycle.start(spec, WatcherData.empty(), store))
                .isInstanceOfSatisfying(HoistException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.START_FAILED);
                    assertThat(e.getMessage())
                            .startsWith("example/web:v2 did not become healthy: it is restarting (restarts 8), 0.0s into start_timeout 15s; exit code 1; last output: ")
                            .endsWith("httpd: bind: Address already in use")
                            .contains("connecting to ***").contains("x".repeat(200) + "...").doesNotContain("x".repeat(201))
                            .doesNotContain("s3cret-value").doesNotContain("pw@db").doesNotContain("starting with key")
                            .doesNotContain("\n");
                });
        assertThat(store.state.lastFailure().ref()).isEqualTo("example/web:v2");
        assertThat(store.state.lastFailure().reason()).contains("Address already in use").doesNotContain("s3cret");
    }

    @Test
    void the_rollback_names_the_reason() {
        store.state = NodeState.EMPTY.started("example/web", "v1", "sha256:1", false, clock.instant());
        when(engine.inspect("new")).thenReturn(Optional.of(container("restarting", "v2")), Optional.of(container("restarting", "v2")),
                Optional.of(container("restarting", "v2")));
        when(engine.create(any())).thenAnswer(i -> {
            ContainerPlan p = i.getArgument(0);
            if (p.imageRef().endsWith(":v1")) {
                when(engine.inspect("new")).thenReturn(Optional.of(container("running", "v1")));
            }
            return "new";
        });
        ManagedContainer c = lifecycle.start(spec, WatcherData.empty(), store);
        assertThat(c.imageRef()).isEqualTo("example/web:v1");
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("Address already in use").contains("; rolling back to example/web:v1"));
        assertThat(store.state.failed().reason()).contains("exit code 1").contains("Address already in use");
        assertThat(store.state.lastFailure().reason()).contains("Address already in use");
    }

    @Test
    void a_container_whose_output_cannot_be_read_still_fails_with_its_reason() {
        when(engine.lastOutput("new", 5)).thenThrow(new IllegalStateException("configured logging driver does not support reading"));
        assertThatThrownBy(() -> lifecycle.start(spec, WatcherData.empty(), store))
                .hasMessage("example/web:v2 did not become healthy: it is restarting (restarts 8), 0.0s into start_timeout 15s");
    }

    @Test
    void masking_cutting_and_keeping_the_last_five() {
        List<String> raw = List.of("one", "two", "three", "four", "five", "six pw=hunter2", "\u0007bell");
        assertThat(FailureOutput.clean(raw, List.of("PW=hunter2", "NONE=")))
                .containsExactly("three", "four", "five", "six pw=***", "bell");
        assertThat(FailureOutput.clean(List.of("abcabc"), List.of("A=abc", "B=abcabc"))).containsExactly("***");
        assertThat(FailureOutput.describe(new LastOutput(List.of(), 137L), container("exited", "v2"), List.of())).isEqualTo("; exit code 137");
        assertThat(FailureOutput.describe(new LastOutput(List.of(), 0L), container("running", "v2"), List.of())).isEmpty();
        assertThat(FailureOutput.describe(null, null, List.of())).isEmpty();
        // Listed as running a moment before the engine found it restarting after exit 1 (the
        // crash loop FaultsIT's broken v3 is in): the code is evidence whatever the list said.
        assertThat(FailureOutput.describe(new LastOutput(List.of(), 1L), container("running", "v3"), List.of())).isEqualTo("; exit code 1");
        assertThat(FailureOutput.describe(new LastOutput(List.of(), 1L), container("restarting", "v3"), List.of())).isEqualTo("; exit code 1");
    }
}
