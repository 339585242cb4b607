package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.github.dockerjava.api.exception.ConflictException;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.WatcherData;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * Issue 27: a replacement is created (as hoist_NAME-next) before the old container stops, so that
 * the gap is stop + start; then it takes the name hoist_NAME.
 */
class PreparedReplacementTest {
    Engine engine;
    LifecycleTest.FakeClock clock;
    LifecycleTest.MemoryStore store;
    ContainerSpec spec;
    Lifecycle lifecycle;
    ManagedContainer old;

    @BeforeEach
    void setUp() {
        engine = mock(Engine.class);
        clock = new LifecycleTest.FakeClock();
        store = new LifecycleTest.MemoryStore();
        lifecycle = new Lifecycle(engine, m -> { }, clock::advance, clock);
        spec = SpecParser.parse("{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\"}", "t");
        old = container("old", "web");
        when(engine.find("web")).thenReturn(Optional.of(old));
        when(engine.imageId(any())).thenReturn(Optional.of("sha256:1"));
        when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of("old"));
        when(engine.containerIdByDockerName("hoist_web-next")).thenReturn(Optional.empty());
        when(engine.createAs(any(), eq("hoist_web-next"))).thenReturn(Optional.of("new"));
        when(engine.inspect("new")).thenReturn(Optional.of(container("new", "web")));
    }

    ManagedContainer container(String id, String name) {
        return new ManagedContainer(id, name, "running", "sha256:1", spec.imageRef("v1"), ContainerPlan.of(spec, "v1").specHash(), "none",
                "2026-01-01T00:00:00Z", 0, List.of(), Map.of());
    }

    @Test
    void the_replacement_is_created_before_the_old_container_stops_then_takes_its_name() {
        lifecycle.start(spec, WatcherData.empty(), store);
        InOrder order = inOrder(engine);
        order.verify(engine).createAs(any(ContainerPlan.class), eq("hoist_web-next"));
        order.verify(engine).stop("old", 10);
        order.verify(engine).remove("old");
        order.verify(engine).rename("new", "hoist_web");
        order.verify(engine).start("new");
        verify(engine, never()).create(any());
    }

    @Test
    void a_leftover_prepared_container_of_ours_is_replaced() {
        when(engine.containerIdByDockerName("hoist_web-next")).thenReturn(Optional.of("left"));
        when(engine.inspect("left")).thenReturn(Optional.of(container("left", "web")));
        lifecycle.start(spec, WatcherData.empty(), store);
        InOrder order = inOrder(engine);
        order.verify(engine).remove("left");
        order.verify(engine).createAs(any(ContainerPlan.class), eq("hoist_web-next"));
        order.verify(engine).rename("new", "hoist_web");
    }

    @Test
    void someone_elses_container_on_the_prepared_name_means_the_old_way() {
        when(engine.containerIdByDockerName("hoist_web-next")).thenReturn(Optional.of("theirs"));
        when(engine.inspect("theirs")).thenReturn(Optional.of(container("theirs", "other")));
        when(engine.create(any())).thenReturn("new");
        lifecycle.start(spec, WatcherData.empty(), store);
        verify(engine, never()).remove("theirs");
        verify(engine, never()).createAs(any(), any());
        InOrder order = inOrder(engine);
        order.verify(engine).remove("old");
        order.verify(engine).create(any(ContainerPlan.class));
    }

    @Test
    void an_unlabelled_container_taking_the_name_meanwhile_is_left_alone_and_the_prepared_one_removed() {
        doThrow(new ConflictException("name in use")).when(engine).rename("new", "hoist_web");
        when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of("old"), Optional.of("intruder"));
        when(engine.inspect("intruder")).thenReturn(Optional.of(container("intruder", null)));
        assertThatThrownBy(() -> lifecycle.start(spec, WatcherData.empty(), store))
                .isInstanceOfSatisfying(HoistException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.START_FAILED))
                .hasMessageContaining("exists without Hoist's labels");
        verify(engine).remove("new");
        verify(engine, never()).remove("intruder");
        verify(engine, never()).start(any());
    }

    @Test
    void a_failed_stop_of_the_old_container_removes_the_prepared_one() {
        doThrow(new HoistException(ExitCode.DOCKER_UNREACHABLE, "gone")).when(engine).stop("old", 10);
        assertThatThrownBy(() -> lifecycle.start(spec, WatcherData.empty(), store)).hasMessageContaining("gone");
        verify(engine).remove("new");
        verify(engine, never()).start(any());
    }
}
