package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.doThrow;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.WatcherData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.InOrder;

class LifecycleTest {
    static final String V1 = "example/web:v1";
    static final String V2 = "example/web:v2";
    Engine engine;
    List<String> warnings;
    Lifecycle lifecycle;
    ContainerSpec spec;
    FakeClock clock;
    MemoryStore store;

    /** A clock that moves only when the code under test sleeps. */
    static final class FakeClock extends java.time.Clock {
        java.time.Instant now = java.time.Instant.parse("2026-11-27T10:00:00Z");

        void advance(long millis) {
            now = now.plusMillis(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    /** hoist-state.json in memory. */
    static final class MemoryStore extends StateStore {
        NodeState state = NodeState.EMPTY;

        MemoryStore() {
            super(Path.of("unused"), m -> { });
        }

        @Override
        public NodeState load() {
            return state;
        }

        @Override
        public void save(NodeState s) {
            state = s;
        }
    }

    @BeforeEach
    void setUp() {
        engine = mock(Engine.class);
        warnings = new ArrayList<>();
        clock = new FakeClock();
        store = new MemoryStore();
        lifecycle = new Lifecycle(engine, warnings::add, clock::advance, clock);
        spec = SpecParser.parse("{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"kv_update\": true}", "t");
    }

    ManagedContainer container(String id, String state, String ref, String imageId, String specHash, String health) {
        return new ManagedContainer(id, "web", state, imageId, ref, specHash, health, "2026-01-01T00:00:00Z", 0, List.of(), Map.of());
    }

    ManagedContainer runningAs(ContainerSpec s, String tag, String imageId) {
        return container("c0ffee000000aa", "running", s.imageRef(tag), imageId, ContainerPlan.of(s, tag).specHash(), "none");
    }

    static WatcherData kv(Path dir, String json) throws Exception {
        return WatcherData.read(Files.writeString(dir.resolve("data.json"), json));
    }

    @Nested
    class Check {
        @Test
        void passes_when_running_the_desired_image_with_the_current_spec() {
            when(engine.find("web")).thenReturn(Optional.of(runningAs(spec, "v1", "sha256:1")));
            when(engine.imageId(V1)).thenReturn(Optional.of("sha256:1"));
            assertThat(lifecycle.check(spec, WatcherData.empty(), NodeState.EMPTY)).isEqualTo(CheckResult.pass());
        }

        @Test
        void fails_when_missing_or_stopped() {
            when(engine.find("web")).thenReturn(Optional.empty());
            assertThat(lifecycle.check(spec, WatcherData.empty(), NodeState.EMPTY).reason()).isEqualTo("no container hoist_web");
            ManagedContainer c = runningAs(spec, "v1", "sha256:1");
            when(engine.find("web")).thenReturn(Optional.of(container(c.id(), "exited", c.imageRef(), c.imageId(), c.specHash(), "none")));
            assertThat(lifecycle.check(spec, WatcherData.empty(), NodeState.EMPTY).reason()).isEqualTo("hoist_web is exited");
        }

        @Test
        void fails_when_the_spec_changed() {
            ContainerSpec old = SpecParser.parse("{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"environment\": [\"A=1\"]}", "t");
            when(engine.find("web")).thenReturn(Optional.of(runningAs(old, "v1", "sha256:1")));
            when(engine.imageId(V1)).thenReturn(Optional.of("sha256:1"));
            assertThat(lifecycle.check(spec, WatcherData.empty(), NodeState.EMPTY).reason()).contains("does not match its spec");
        }

        @Test
        void fails_when_the_kv_asks_for_another_image(@TempDir Path tmp) throws Exception {
            when(engine.find("web")).thenReturn(Optional.of(runningAs(spec, "v1", "sha256:1")));
            when(engine.imageId(V2)).thenReturn(Optional.empty());
            assertThat(lifecycle.check(spec, kv(tmp, "{\"TAG\": \"v2\"}"), NodeState.EMPTY).reason()).contains("should run example/web:v2, which is not present");
            when(engine.imageId(V2)).thenReturn(Optional.of("sha256:2"));
            assertThat(lifecycle.check(spec, kv(tmp, "{\"TAG\": \"v2\"}"), NodeState.EMPTY).reason()).contains("runs example/web:v1, should run example/web:v2");
        }

        @Test
        void fails_when_docker_says_unhealthy() {
            ManagedContainer c = runningAs(spec, "v1", "sha256:1");
            when(engine.find("web")).thenReturn(Optional.of(container(c.id(), "running", c.imageRef(), c.imageId(), c.specHash(), "unhealthy")));
            when(engine.imageId(V1)).thenReturn(Optional.of("sha256:1"));
            assertThat(lifecycle.check(spec, WatcherData.empty(), NodeState.EMPTY).reason()).isEqualTo("hoist_web is unhealthy");
        }

        @Test
        void keeps_passing_on_a_bad_kv_value_and_warns(@TempDir Path tmp) throws Exception {
            when(engine.find("web")).thenReturn(Optional.of(runningAs(spec, "v1", "sha256:1")));
            when(engine.imageId(V1)).thenReturn(Optional.of("sha256:1"));
            assertThat(lifecycle.check(spec, kv(tmp, "{\"TAG\": \"v3; rm -rf /\"}"), NodeState.EMPTY).ok()).isTrue();
            assertThat(warnings).singleElement().asString().contains("'v3; rm -rf /' is not a valid tag").contains("keeping the running tag v1");
        }
    }

    @Nested
    class Start {
        @Test
        void pulls_a_missing_image_before_touching_the_running_container() {
            ManagedContainer old = runningAs(spec, "v1", "sha256:1");
            when(engine.find("web")).thenReturn(Optional.of(old));
            when(engine.imageId(V1)).thenReturn(Optional.empty());
            when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of(old.id()));
            when(engine.create(any())).thenReturn("new");
            when(engine.inspect("new")).thenReturn(Optional.of(runningAs(spec, "v1", "sha256:1")));
            lifecycle.start(spec, WatcherData.empty(), store);
            InOrder order = inOrder(engine);
            order.verify(engine).pull(V1);
            order.verify(engine).stop(old.id(), 10);
            order.verify(engine).remove(old.id());
            order.verify(engine).create(any(ContainerPlan.class));
            order.verify(engine).start("new");
        }

        @Test
        void a_failed_pull_leaves_the_running_container_alone(@TempDir Path tmp) throws Exception {
            when(engine.find("web")).thenReturn(Optional.of(runningAs(spec, "v1", "sha256:1")));
            when(engine.imageId(V2)).thenReturn(Optional.empty());
            doThrow(new HoistException(ExitCode.IMAGE_UNAVAILABLE, "cannot pull")).when(engine).pull(V2);
            assertThatThrownBy(() -> lifecycle.start(spec, kv(tmp, "{\"TAG\": \"v2\"}"), store))
                    .isInstanceOfSatisfying(HoistException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.IMAGE_UNAVAILABLE));
            verify(engine, never()).stop(anyString(), anyInt());
            verify(engine, never()).remove(anyString());
            verify(engine, never()).create(any());
        }

        @Test
        void never_touches_an_unlabelled_container_with_its_name() {
            when(engine.find("web")).thenReturn(Optional.empty());
            when(engine.imageId(V1)).thenReturn(Optional.of("sha256:1"));
            when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of("someone-elses"));
            assertThatThrownBy(() -> lifecycle.start(spec, WatcherData.empty(), store)).hasMessageContaining("exists without Hoist's labels");
            verify(engine, never()).stop(anyString(), anyInt());
            verify(engine, never()).remove(anyString());
        }

        @Test
        void fails_when_the_new_container_does_not_become_healthy_in_start_timeout() {
            when(engine.find("web")).thenReturn(Optional.empty());
            when(engine.imageId(V1)).thenReturn(Optional.of("sha256:1"));
            when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.empty());
            when(engine.create(any())).thenReturn("new");
            ManagedContainer c = runningAs(spec, "v1", "sha256:1");
            when(engine.inspect("new")).thenReturn(Optional.of(c),
                    Optional.of(container("new", "restarting", c.imageRef(), c.imageId(), c.specHash(), "none")));
            assertThatThrownBy(() -> lifecycle.start(spec, WatcherData.empty(), store))
                    .isInstanceOfSatisfying(HoistException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.START_FAILED))
                    .hasMessageContaining("did not become healthy: it is restarting");
            assertThat(store.state.startFailures().count()).isEqualTo(1);
        }

        @Test
        void a_bad_kv_value_keeps_the_running_tag(@TempDir Path tmp) throws Exception {
            ContainerSpec s = spec;
            when(engine.find("web")).thenReturn(Optional.of(runningAs(s, "v2", "sha256:2")));
            when(engine.imageId(V2)).thenReturn(Optional.of("sha256:2"));
            when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.of("c0ffee000000aa"));
            when(engine.create(any())).thenReturn("new");
            when(engine.inspect("new")).thenReturn(Optional.of(runningAs(s, "v2", "sha256:2")));
            lifecycle.start(s, kv(tmp, "{\"TAG\": \"" + "x".repeat(200) + "\"}"), store);
            verify(engine).create(org.mockito.ArgumentMatchers.argThat(p -> p.imageRef().equals(V2)));
            verify(engine, never()).pull(anyString());
        }
    }

    @Nested
    class HealthGate {
        ContainerSpec gated;

        @BeforeEach
        void setUp() {
            gated = SpecParser.parse("{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"kv_update\": true,"
                    + " \"start_timeout\": \"20s\", \"min_healthy_time\": \"5s\"}", "t");
            when(engine.find("web")).thenReturn(Optional.empty());
            when(engine.imageId(any())).thenReturn(Optional.of("sha256:x"));
            when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.empty());
            when(engine.create(any())).thenReturn("new");
        }

        ManagedContainer withHealth(String state, String health) {
            ManagedContainer c = runningAs(gated, "v1", "sha256:1");
            return container("new", state, c.imageRef(), c.imageId(), c.specHash(), health);
        }

        @Test
        void waits_for_docker_health_then_min_healthy_time_without_a_break() {
            when(engine.inspect("new")).thenReturn(Optional.of(withHealth("running", "starting")),
                    Optional.of(withHealth("running", "healthy")), Optional.of(withHealth("running", "starting")),
                    Optional.of(withHealth("running", "healthy")));
            java.time.Instant t0 = clock.instant();
            lifecycle.start(gated, WatcherData.empty(), store);
            // 2 polls not healthy or broken, then 5 s of healthy polls every 250 ms
            assertThat(java.time.Duration.between(t0, clock.instant()).toMillis()).isEqualTo(5750);
            assertThat(store.state.lastGood().tag()).isEqualTo("v1");
            assertThat(store.state.startFailures()).isNull();
        }

        @Test
        void a_container_that_exits_fails_the_gate_at_once_not_after_start_timeout() {
            when(engine.inspect("new")).thenReturn(Optional.of(withHealth("running", "starting")), Optional.of(withHealth("exited", "none")));
            java.time.Instant t0 = clock.instant();
            assertThatThrownBy(() -> lifecycle.start(gated, WatcherData.empty(), store))
                    .hasMessageContaining("did not become healthy: it is exited (restarts 0), 0.3s into start_timeout 20s");
            assertThat(java.time.Duration.between(t0, clock.instant()).toMillis()).isEqualTo(250);
        }

        @Test
        void a_container_docker_restarted_fails_the_gate_at_once_even_when_running_again() {
            ManagedContainer first = withHealth("running", "none");
            ManagedContainer again = new ManagedContainer(first.id(), first.name(), "running", first.imageId(), first.imageRef(),
                    first.specHash(), "none", first.startedAt(), 1, List.of(), java.util.Map.of());
            when(engine.inspect("new")).thenReturn(Optional.of(first), Optional.of(again));
            assertThatThrownBy(() -> lifecycle.start(gated, WatcherData.empty(), store))
                    .hasMessageContaining("did not become healthy: Docker restarted it (restarts 1)");
        }

        @Test
        void docker_unhealthy_fails_at_once_but_a_probe_not_answering_yet_is_waited_for() {
            when(engine.inspect("new")).thenReturn(Optional.of(withHealth("running", "unhealthy")));
            assertThatThrownBy(() -> lifecycle.start(gated, WatcherData.empty(), store))
                    .hasMessageContaining("did not become healthy: its Docker health status is unhealthy, 0.0s into");
            assertThat(Lifecycle.brokenNow(withHealth("running", "starting"))).isEmpty();
            assertThat(Lifecycle.brokenNow(withHealth("created", "none"))).isEmpty();
            assertThat(Lifecycle.brokenNow(withHealth("dead", "none"))).contains("it is dead (restarts 0)");
        }

        @Test
        void a_new_tag_that_never_becomes_healthy_is_rolled_back_and_remembered(@TempDir Path tmp) throws Exception {
            store.state = NodeState.EMPTY.started("example/web", "v2", "sha256:2", false, clock.instant());
            when(engine.create(any())).thenReturn("bad", "good");
            when(engine.inspect("bad")).thenReturn(Optional.of(withHealth("running", "unhealthy")));
            when(engine.inspect("good")).thenReturn(Optional.of(withHealth("running", "healthy")));
            when(engine.find("web")).thenReturn(Optional.empty(), Optional.of(container("bad", "running", "example/web:v3", "sha256:3", "h", "unhealthy")));

            lifecycle.start(gated, kv(tmp, "{\"TAG\": \"v3\"}"), store);

            verify(engine).create(org.mockito.ArgumentMatchers.argThat(p -> p != null && p.imageRef().equals("example/web:v3")));
            verify(engine).create(org.mockito.ArgumentMatchers.argThat(p -> p != null && p.imageRef().equals("example/web:v2")));
            verify(engine).remove("bad");
            assertThat(store.state.failed().tag()).isEqualTo("v3");
            assertThat(store.state.failed().reason()).contains("did not become healthy: its Docker health status is unhealthy");
            assertThat(store.state.lastGood().tag()).isEqualTo("v2");
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("rolling back to example/web:v2"));

            // The failed tag is not tried again while the KV still asks for it
            var d = lifecycle.desired(gated, kv(tmp, "{\"TAG\": \"v3\"}"), Optional.empty(), store.state);
            assertThat(d.tag()).isEqualTo("v2");
            assertThat(d.source()).hasToString("rollback");
            // ... and is forgotten once the desired tag moves on and starts well
            when(engine.create(any())).thenReturn("v4");
            when(engine.inspect("v4")).thenReturn(Optional.of(withHealth("running", "healthy")));
            lifecycle.start(gated, kv(tmp, "{\"TAG\": \"v4\"}"), store);
            assertThat(store.state.failed()).isNull();
            assertThat(store.state.lastGood().tag()).isEqualTo("v4");
        }

        @Test
        void if_needed_leaves_a_container_that_passes_the_check_alone() {
            ManagedContainer c = runningAs(gated, "v1", "sha256:1");
            when(engine.find("web")).thenReturn(Optional.of(c));
            when(engine.imageId("example/web:v1")).thenReturn(Optional.of("sha256:1"));
            assertThat(lifecycle.start(gated, WatcherData.empty(), store, FleetKv.NONE, true)).isSameAs(c);
            verify(engine, never()).create(any());
            verify(engine, never()).stop(anyString(), anyInt());
        }

        @Test
        void reads_the_tag_fresh_from_the_kv_and_marks_a_failed_one_for_the_fleet(@TempDir Path tmp) throws Exception {
            store.state = NodeState.EMPTY.started("example/web", "v2", "sha256:2", false, clock.instant());
            List<String> marked = new ArrayList<>();
            FleetKv fleet = new FleetKv() {
                @Override
                public WatcherData refresh(ContainerSpec s, WatcherData data) {
                    return data.with("TAG", "v3");
                }

                @Override
                public void markFailed(ContainerSpec s, String tag) {
                    marked.add(tag);
                }
            };
            when(engine.create(any())).thenReturn("bad", "good");
            when(engine.inspect("bad")).thenReturn(Optional.of(withHealth("restarting", "none")));
            when(engine.inspect("good")).thenReturn(Optional.of(withHealth("running", "none")));
            lifecycle.start(gated, kv(tmp, "{\"TAG\": \"v2\"}"), store, fleet, false);
            verify(engine).create(org.mockito.ArgumentMatchers.argThat(p -> p != null && p.imageRef().equals("example/web:v3")));
            assertThat(marked).containsExactly("v3");
        }

        @Test
        void a_tag_another_node_marked_failed_is_not_tried(@TempDir Path tmp) throws Exception {
            ManagedContainer c = runningAs(gated, "v2", "sha256:2");
            when(engine.find("web")).thenReturn(Optional.of(c));
            when(engine.imageId("example/web:v2")).thenReturn(Optional.of("sha256:2"));
            WatcherData data = kv(tmp, "{\"TAG\": \"v3\", \"TAG_failed\": \"v3\"}");
            assertThat(lifecycle.check(gated, data, NodeState.EMPTY).ok()).isTrue();
            assertThat(lifecycle.start(gated, data, store, FleetKv.NONE, true)).isSameAs(c);
            verify(engine, never()).create(any());
        }

        @Test
        void repeated_failures_back_off() {
            when(engine.inspect("new")).thenReturn(Optional.of(withHealth("restarting", "none")));
            assertThatThrownBy(() -> lifecycle.start(gated, WatcherData.empty(), store)).hasMessageContaining("into start_timeout 20s");
            assertThat(store.state.startFailures().count()).isEqualTo(1);
            assertThatThrownBy(() -> lifecycle.start(gated, WatcherData.empty(), store))
                    .hasMessageContaining("failed to start 1 times in a row; backing off until");
            verify(engine, org.mockito.Mockito.times(1)).create(any());
            clock.advance(31_000);
            assertThatThrownBy(() -> lifecycle.start(gated, WatcherData.empty(), store)).hasMessageContaining("into start_timeout 20s");
            assertThat(store.state.startFailures().count()).isEqualTo(2);
            assertThat(java.time.Instant.parse(store.state.startFailures().retryAfter())).isEqualTo(clock.instant().plusSeconds(60));
        }
    }

    @Nested
    class Update {
        @Test
        void pulls_the_kv_tag(@TempDir Path tmp) throws Exception {
            when(engine.find("web")).thenReturn(Optional.empty());
            assertThat(lifecycle.update(spec, kv(tmp, "{\"TAG\": \"v2\"}"), NodeState.EMPTY)).isEqualTo(V2);
            verify(engine).pull(V2);
        }

        @Test
        void accepts_a_failed_pull_when_the_image_is_already_here() {
            when(engine.find("web")).thenReturn(Optional.empty());
            doThrow(new HoistException(ExitCode.IMAGE_UNAVAILABLE, "registry down")).when(engine).pull(V1);
            when(engine.imageId(V1)).thenReturn(Optional.of("sha256:1"));
            assertThat(lifecycle.update(spec, WatcherData.empty(), NodeState.EMPTY)).isEqualTo(V1);
            assertThat(warnings).singleElement().asString().contains("registry down");
        }

        @Test
        void fails_when_the_image_can_be_had_nowhere() {
            when(engine.find("web")).thenReturn(Optional.empty());
            doThrow(new HoistException(ExitCode.IMAGE_UNAVAILABLE, "manifest unknown")).when(engine).pull(V1);
            when(engine.imageId(V1)).thenReturn(Optional.empty());
            assertThatThrownBy(() -> lifecycle.update(spec, WatcherData.empty(), NodeState.EMPTY)).hasMessage("manifest unknown");
        }
    }

    @Test
    void stop_stops_gracefully_then_removes() {
        ManagedContainer c = runningAs(spec, "v1", "sha256:1");
        when(engine.find("web")).thenReturn(Optional.of(c));
        assertThat(lifecycle.stop("web", 7)).isTrue();
        InOrder order = inOrder(engine);
        order.verify(engine).stop(c.id(), 7);
        order.verify(engine).remove(c.id());
        when(engine.find("web")).thenReturn(Optional.empty());
        assertThat(lifecycle.stop("web", 7)).isFalse();
    }
}
