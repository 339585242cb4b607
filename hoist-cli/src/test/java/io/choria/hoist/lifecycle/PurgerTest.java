package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PurgerTest {
    @TempDir Path store;
    Engine engine;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        engine = mock(Engine.class);
        for (String n : new String[] {"web", "old"}) {
            Files.createDirectories(store.resolve("hoist_" + n));
            Files.writeString(store.resolve("hoist_" + n + "/container.json"), "{}");
            Files.writeString(store.resolve("hoist_" + n + "/machine.yaml"), "name: hoist_" + n + "\n");
        }
        Files.createDirectories(store.resolve("hoist_notmine"));
        Files.createDirectories(store.resolve("other_machine"));
        Files.createDirectories(store.resolve("hoist_purge"));
        Files.writeString(store.resolve("hoist_purge/managed.json"), "{\"containers\": [\"web\"]}");
    }

    static ManagedContainer labelled(String id, String name) {
        return new ManagedContainer(id, name, "running", "sha256:1", "x:1", "h", "none", null, 0, List.of(), Map.of());
    }

    Purger purger() {
        return new Purger(engine, store, clock, Duration.ofSeconds(30));
    }

    @Test
    void stops_an_unmanaged_machine_first_and_removes_its_folder_and_container_once_the_wait_is_over() throws Exception {
        when(engine.listManaged()).thenReturn(List.of(labelled("aaaaaaaaaaaaaaaa", "web"), labelled("bbbbbbbbbbbbbbbb", "old")));

        List<Purger.Action> first = purger().purge(false, 10);
        assertThat(first).extracting(Purger.Action::kind, Purger.Action::name).containsExactly(tuple("stop-machine", "old"));
        assertThat(store.resolve("hoist_old/machine.yaml")).as("Choria stops the machine at its next scan").doesNotExist();
        assertThat(store.resolve("hoist_old/container.json")).as("the folder stays while Choria stops the machine").exists();
        assertThat(Files.readString(store.resolve("hoist_old/purge-stopped")).trim()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(store.resolve("hoist_web/machine.yaml")).exists();
        assertThat(store.resolve("hoist_notmine")).as("no container.json: not Hoist's").exists();
        assertThat(store.resolve("other_machine")).exists();
        verify(engine, never()).stop(anyString(), anyInt());
        verify(engine, never()).remove(anyString());

        clock.advance(Duration.ofSeconds(29));
        assertThat(purger().purge(false, 10)).as("within the wait nothing more happens").isEmpty();
        assertThat(store.resolve("hoist_old")).exists();
        verify(engine, never()).remove(anyString());

        clock.advance(Duration.ofSeconds(1));
        List<Purger.Action> third = purger().purge(false, 10);
        assertThat(third).extracting(Purger.Action::kind, Purger.Action::name).containsExactly(
                tuple("remove-folder", "old"), tuple("remove-container", "old"));
        assertThat(store.resolve("hoist_old")).doesNotExist();
        assertThat(store.resolve("hoist_web/machine.yaml")).exists();
        verify(engine).stop("bbbbbbbbbbbbbbbb", 10);
        verify(engine).remove("bbbbbbbbbbbbbbbb");
        verify(engine, never()).remove("aaaaaaaaaaaaaaaa");
    }

    @Test
    void a_retired_container_is_withdrawn_when_its_machine_stops_and_drained_before_it_is_removed() throws Exception {
        when(engine.listManaged()).thenReturn(List.of(labelled("bbbbbbbbbbbbbbbb", "old")));
        List<String> drains = new ArrayList<>();
        org.mockito.Mockito.doAnswer(i -> drains.add("stop " + i.getArgument(0))).when(engine).stop(anyString(), anyInt());
        Purger.Drainer drainer = (folder, container, removing) -> drains.add((removing ? "drain " : "withdraw ") + container + " "
                + store.relativize(folder) + (Files.exists(folder.resolve("container.json")) ? " (folder there)" : " (folder gone)"));
        purger().withDrainer(drainer).purge(false, 10);
        assertThat(drains).containsExactly("withdraw hoist_old hoist_old (folder there)");
        clock.advance(Duration.ofSeconds(30));
        purger().withDrainer(drainer).purge(false, 10);
        assertThat(drains).as("drained while its registrations.json is still there, then stopped").containsExactly(
                "withdraw hoist_old hoist_old (folder there)", "drain hoist_old hoist_old (folder there)", "stop bbbbbbbbbbbbbbbb");
        int before = drains.size();
        purger().withDrainer(drainer).purge(true, 10);
        assertThat(drains).as("a dry run drains nothing").hasSize(before);
    }

    @Test
    void removes_a_labelled_container_whose_folder_is_gone() throws Exception {
        Files.writeString(store.resolve("hoist_purge/managed.json"), "{\"containers\": [\"web\", \"old\"]}");
        when(engine.listManaged()).thenReturn(List.of(labelled("aaaaaaaaaaaaaaaa", "web"), labelled("cccccccccccccccc", "gone")));
        List<Purger.Action> actions = purger().purge(false, 10);
        assertThat(actions).extracting(Purger.Action::kind, Purger.Action::name).containsExactly(tuple("remove-container", "gone"));
        verify(engine).stop("cccccccccccccccc", 10);
        verify(engine).remove("cccccccccccccccc");
        verify(engine, never()).remove("aaaaaaaaaaaaaaaa");
    }

    @Test
    void a_folder_without_machine_yaml_or_record_waits_from_now() throws Exception {
        Files.delete(store.resolve("hoist_old/machine.yaml"));
        when(engine.listManaged()).thenReturn(List.of());
        assertThat(purger().purge(false, 10)).extracting(Purger.Action::kind).containsExactly("stop-machine");
        assertThat(store.resolve("hoist_old/purge-stopped")).exists();
        clock.advance(Duration.ofSeconds(30));
        assertThat(purger().purge(false, 10)).extracting(Purger.Action::kind).containsExactly("remove-folder");
        assertThat(store.resolve("hoist_old")).doesNotExist();
    }

    @Test
    void an_unreadable_or_future_record_starts_the_wait_again() throws Exception {
        Files.delete(store.resolve("hoist_old/machine.yaml"));
        when(engine.listManaged()).thenReturn(List.of());
        for (String record : new String[] {"garbage", "2027-01-01T00:00:00Z"}) {
            Files.writeString(store.resolve("hoist_old/purge-stopped"), record);
            assertThat(purger().purge(false, 10)).extracting(Purger.Action::kind).as(record).containsExactly("stop-machine");
            assertThat(Files.readString(store.resolve("hoist_old/purge-stopped")).trim()).isEqualTo("2026-01-01T00:00:00Z");
            assertThat(store.resolve("hoist_old")).exists();
        }
    }

    @Test
    void a_folder_puppet_manages_again_loses_its_record() throws Exception {
        when(engine.listManaged()).thenReturn(List.of());
        purger().purge(false, 10);
        assertThat(store.resolve("hoist_old/purge-stopped")).exists();
        Files.writeString(store.resolve("hoist_old/machine.yaml"), "name: hoist_old\n");
        Files.writeString(store.resolve("hoist_purge/managed.json"), "{\"containers\": [\"web\", \"old\"]}");
        clock.advance(Duration.ofMinutes(5));
        assertThat(purger().purge(false, 10)).isEmpty();
        assertThat(store.resolve("hoist_old/purge-stopped")).doesNotExist();
        assertThat(store.resolve("hoist_old/machine.yaml")).exists();
    }

    @Test
    void dry_run_changes_nothing() throws Exception {
        Files.delete(store.resolve("hoist_web/container.json"));
        Files.delete(store.resolve("hoist_web/machine.yaml"));
        Files.delete(store.resolve("hoist_web"));
        when(engine.listManaged()).thenReturn(List.of(labelled("aaaaaaaaaaaaaaaa", "web")));
        List<Purger.Action> actions = purger().purge(true, 10);
        assertThat(actions).extracting(Purger.Action::kind).containsExactly("stop-machine", "remove-container");
        assertThat(store.resolve("hoist_old/machine.yaml")).exists();
        assertThat(store.resolve("hoist_old/purge-stopped")).doesNotExist();
        verify(engine, never()).stop(anyString(), anyInt());
        verify(engine, never()).remove(anyString());

        Files.delete(store.resolve("hoist_old/machine.yaml"));
        Files.writeString(store.resolve("hoist_old/purge-stopped"), "2025-12-31T00:00:00Z\n");
        assertThat(purger().purge(true, 10)).extracting(Purger.Action::kind).containsExactly("remove-folder", "remove-container");
        assertThat(store.resolve("hoist_old")).exists();
        verify(engine, never()).remove(anyString());
    }

    @Test
    void without_a_managed_list_no_folder_is_touched() throws Exception {
        Files.delete(store.resolve("hoist_purge/managed.json"));
        when(engine.listManaged()).thenReturn(List.of());
        assertThat(purger().purge(false, 10)).isEmpty();
        assertThat(store.resolve("hoist_old/machine.yaml")).exists();
    }
    @Test
    void purge_all_stops_every_machine_first_then_waits_and_removes_every_folder_and_container() throws Exception {
        Files.writeString(store.resolve("hoist_purge/machine.yaml"), "name: hoist_purge\n");
        // The second listing, after the wait, no longer has "gone", which the first half removed.
        when(engine.listManaged()).thenReturn(List.of(labelled("aaaaaaaaaaaaaaaa", "web"), labelled("bbbbbbbbbbbbbbbb", "old"),
                labelled("cccccccccccccccc", "gone")), List.of(labelled("aaaaaaaaaaaaaaaa", "web"), labelled("bbbbbbbbbbbbbbbb", "old")));
        List<String> seenWhenSleeping = new java.util.ArrayList<>();
        List<Long> slept = new java.util.ArrayList<>();
        List<Purger.Action> actions = purger().purgeAll(false, 10, millis -> {
            // Choria's turn: every machine.yaml is gone, every folder and the labelled containers with one are still there.
            for (String f : new String[] {"hoist_web/machine.yaml", "hoist_old/machine.yaml", "hoist_purge/machine.yaml",
                    "hoist_purge/managed.json", "hoist_web/container.json", "hoist_old/container.json"}) {
                if (Files.exists(store.resolve(f))) {
                    seenWhenSleeping.add(f);
                }
            }
            verify(engine, never()).remove("aaaaaaaaaaaaaaaa");
            slept.add(millis);
            clock.advance(Duration.ofMillis(millis));
        });
        assertThat(seenWhenSleeping).containsExactly("hoist_web/container.json", "hoist_old/container.json");
        assertThat(slept).containsExactly(31_000L);
        assertThat(actions).extracting(Purger.Action::kind, Purger.Action::name).containsExactly(
                tuple("stop-machine", "purge"), tuple("stop-machine", "old"), tuple("stop-machine", "web"),
                tuple("remove-container", "gone"),
                tuple("remove-folder", "old"), tuple("remove-folder", "web"),
                tuple("remove-container", "web"), tuple("remove-container", "old"),
                tuple("remove-folder", "purge"));
        assertThat(store.resolve("hoist_web")).doesNotExist();
        assertThat(store.resolve("hoist_old")).doesNotExist();
        assertThat(store.resolve("hoist_purge")).doesNotExist();
        assertThat(store.resolve("hoist_notmine")).exists();
        assertThat(store.resolve("other_machine")).exists();
        verify(engine).remove("aaaaaaaaaaaaaaaa");
        verify(engine).remove("bbbbbbbbbbbbbbbb");
        verify(engine).remove("cccccccccccccccc");
    }

    @Test
    void purge_all_with_nothing_left_neither_waits_nor_fails() throws Exception {
        for (String n : new String[] {"web", "old"}) {
            for (String f : new String[] {"container.json", "machine.yaml", ""}) {
                Files.delete(store.resolve("hoist_" + n + "/" + f));
            }
        }
        Files.delete(store.resolve("hoist_purge/managed.json"));
        Files.delete(store.resolve("hoist_purge"));
        when(engine.listManaged()).thenReturn(List.of());
        assertThat(purger().purgeAll(false, 10, millis -> {
            throw new AssertionError("slept " + millis + " ms with nothing to stop");
        })).isEmpty();
    }
}
