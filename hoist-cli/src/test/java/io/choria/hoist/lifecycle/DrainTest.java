package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 27: a planned replacement or stop of a serving container withdraws its registrations, waits
 * drain_time, and only then stops it; a dead container is withdrawn without waiting; a container
 * without registrations is replaced as before. Time is a fake clock moved by the code's sleeps.
 */
class DrainTest {
    static final Drain.Entry WEB = new Drain.Entry("lon", "http", "web", "192.0.2.10", 8080);

    Engine engine;
    LifecycleTest.FakeClock clock;
    LifecycleTest.MemoryStore store;
    List<String> warnings;
    List<String> events;
    ContainerSpec spec;
    Lifecycle lifecycle;

    /** The registry: records each withdrawal with the fake time, or fails when {@code down}. */
    final class Registry implements Drain.Registry {
        boolean down;

        @Override
        public int withdraw(List<Drain.Entry> entries) {
            if (down) {
                throw new HoistException(ExitCode.KV_ERROR, "cannot connect to NATS");
            }
            events.add("withdraw " + entries.size() + " at " + clock.now.getEpochSecond() % 3600);
            return entries.size();
        }
    }

    Registry registry;

    @BeforeEach
    void setUp() {
        engine = mock(Engine.class);
        clock = new LifecycleTest.FakeClock();
        store = new LifecycleTest.MemoryStore();
        warnings = new ArrayList<>();
        events = new ArrayList<>();
        registry = new Registry();
        lifecycle = new Lifecycle(engine, warnings::add, clock::advance, clock);
        spec = SpecParser.parse("{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\"}", "t");
        when(engine.imageId(any())).thenReturn(Optional.of("sha256:1"));
        when(engine.containerIdByDockerName("hoist_web")).thenReturn(Optional.empty());
        doAnswer(i -> events.add("stop at " + clock.now.getEpochSecond() % 3600)).when(engine).stop(anyString(), anyInt());
        when(engine.create(any())).thenReturn("new");
        when(engine.inspect("new")).thenReturn(Optional.of(container("new", "running")));
    }

    ManagedContainer container(String id, String state) {
        return new ManagedContainer(id, "web", state, "sha256:1", spec.imageRef("v1"), ContainerPlan.of(spec, "v1").specHash(), "none",
                "2026-01-01T00:00:00Z", 0, List.of(), Map.of());
    }

    void current(String state) {
        ManagedContainer old = container("old", state);
        when(engine.find("web")).thenReturn(Optional.of(old));
        when(engine.inspect("old")).thenReturn(Optional.empty());
    }

    @Test
    void a_serving_container_is_withdrawn_then_drained_for_drain_time_then_stopped() {
        current("running");
        lifecycle.withDrain(new Drain(List.of(WEB), Duration.ofSeconds(5), registry)).start(spec, WatcherData.empty(), store);
        // 10:00:00 is second 0 of the hour on the fake clock: withdrawn at 0, again at 5, stopped at 5.
        assertThat(events).containsExactly("withdraw 1 at 0", "withdraw 1 at 5", "stop at 5");
    }

    @Test
    void a_stop_drains_too() {
        current("running");
        lifecycle.withDrain(new Drain(List.of(WEB), Duration.ofSeconds(3), registry)).stop("web", 10);
        assertThat(events).containsExactly("withdraw 1 at 0", "withdraw 1 at 3", "stop at 3");
    }

    @Test
    void a_dead_container_is_withdrawn_without_waiting() {
        current("exited");
        lifecycle.withDrain(new Drain(List.of(WEB), Duration.ofSeconds(5), registry)).start(spec, WatcherData.empty(), store);
        assertThat(events).containsExactly("withdraw 1 at 0", "stop at 0");
    }

    @Test
    void drain_time_0s_withdraws_without_waiting() {
        current("running");
        lifecycle.withDrain(new Drain(List.of(WEB), Duration.ZERO, registry)).start(spec, WatcherData.empty(), store);
        assertThat(events).containsExactly("withdraw 1 at 0", "stop at 0");
    }

    @Test
    void without_registrations_nothing_is_withdrawn_and_nothing_waits() {
        current("running");
        lifecycle.withDrain(new Drain(List.of(), Duration.ofSeconds(5), registry)).start(spec, WatcherData.empty(), store);
        assertThat(events).containsExactly("stop at 0");
        current("running");
        long before = clock.now.getEpochSecond() % 3600;
        new Lifecycle(engine, warnings::add, clock::advance, clock).start(spec, WatcherData.empty(), store);
        assertThat(events).containsExactly("stop at 0", "stop at " + before);
    }

    @Test
    void a_registry_that_cannot_be_asked_is_a_warning_and_the_replacement_goes_on_at_once() {
        current("running");
        registry.down = true;
        lifecycle.withDrain(new Drain(List.of(WEB), Duration.ofSeconds(5), registry)).start(spec, WatcherData.empty(), store);
        assertThat(events).containsExactly("stop at 0");
        assertThat(warnings).singleElement().asString().contains("cannot withdraw hoist_web's service registrations")
                .contains("without draining");
    }

    @Test
    void one_command_drains_once() {
        Drain d = new Drain(List.of(WEB), Duration.ofSeconds(5), registry);
        d.before("hoist_web", true, warnings::add, m -> { }, clock::advance);
        d.before("hoist_web", true, warnings::add, m -> { }, clock::advance);
        assertThat(events).containsExactly("withdraw 1 at 0", "withdraw 1 at 5");
    }

    @Test
    void withdraw_now_waits_for_nothing_and_a_registry_down_is_a_warning() {
        Drain d = new Drain(List.of(WEB), Duration.ofSeconds(5), registry);
        d.withdrawNow("hoist_web", warnings::add, m -> { });
        assertThat(events).containsExactly("withdraw 1 at 0");
        registry.down = true;
        d.withdrawNow("hoist_web", warnings::add, m -> { });
        assertThat(warnings).singleElement().asString().contains("cannot withdraw hoist_web's service registrations");
    }

    @Test
    void before_removal_waits_only_when_an_entry_was_registered_again() {
        Drain.Registry empty = entries -> {
            events.add("withdraw 0 at " + clock.now.getEpochSecond() % 3600);
            return 0;
        };
        new Drain(List.of(WEB), Duration.ofSeconds(5), empty).beforeRemoval("hoist_web", warnings::add, m -> { }, clock::advance);
        assertThat(events).as("withdrawn when the machine stopped: nothing left, no wait").containsExactly("withdraw 0 at 0");
        events.clear();
        new Drain(List.of(WEB), Duration.ofSeconds(5), registry).beforeRemoval("hoist_web", warnings::add, m -> { }, clock::advance);
        assertThat(events).as("published again before Choria stopped the machine: drained")
                .containsExactly("withdraw 1 at 0", "withdraw 1 at 5");
    }

    @Test
    void the_file_puppet_writes_is_read(@TempDir Path dir) throws Exception {
        assertThat(Drain.load(dir, registry)).isSameAs(Drain.NONE);
        Files.writeString(dir.resolve(Drain.FILE), "{\"drain_time\": \"2m\", \"registrations\": [{\"cluster\": \"lon\", \"protocol\": \"http\","
                + " \"service\": \"web\", \"ip\": \"192.0.2.10\", \"port\": 8080}]}");
        Drain d = Drain.load(dir, registry);
        assertThat(d.entries()).containsExactly(WEB);
        assertThat(d.time()).isEqualTo(Duration.ofMinutes(2));
        assertThat(WEB.filter()).isEqualTo("lon.http.web.*");
    }

    @Test
    void a_bad_file_is_bad_input_naming_it(@TempDir Path dir) throws Exception {
        for (String bad : List.of("[]", "{\"registrations\": [{\"service\": \"web\"}]}", "{\"drain_time\": \"5 s\", \"registrations\": []}", "{\"drain_time\": \"05s\", \"registrations\": []}",
                "{\"registrations\": [{\"cluster\": \"l.on\", \"protocol\": \"http\", \"service\": \"web\", \"ip\": \"192.0.2.10\", \"port\": 8080}]}",
                "{\"registrations\": [{\"cluster\": \"lon\", \"protocol\": \"http\", \"service\": \"web\", \"ip\": \"192.0.2.10\", \"port\": 0}]}")) {
            Files.writeString(dir.resolve(Drain.FILE), bad);
            assertThatThrownBy(() -> Drain.load(dir, registry)).as(bad)
                    .isInstanceOfSatisfying(HoistException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT))
                    .hasMessageContaining(Drain.FILE);
        }
    }
}
