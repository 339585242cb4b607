package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PurgerTest {
    @TempDir Path store;
    Engine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = mock(Engine.class);
        for (String n : new String[] {"web", "old"}) {
            Files.createDirectories(store.resolve("hoist_" + n));
            Files.writeString(store.resolve("hoist_" + n + "/container.json"), "{}");
        }
        Files.createDirectories(store.resolve("hoist_notmine"));
        Files.createDirectories(store.resolve("other_machine"));
        Files.createDirectories(store.resolve("hoist_purge"));
        Files.writeString(store.resolve("hoist_purge/managed.json"), "{\"containers\": [\"web\"]}");
    }

    static ManagedContainer labelled(String id, String name) {
        return new ManagedContainer(id, name, "running", "sha256:1", "x:1", "h", "none", null, 0, List.of(), Map.of());
    }

    @Test
    void removes_unmanaged_folders_now_and_their_containers_on_the_next_run() {
        when(engine.listManaged()).thenReturn(List.of(labelled("aaaaaaaaaaaaaaaa", "web"), labelled("bbbbbbbbbbbbbbbb", "old")));
        List<Purger.Action> first = new Purger(engine, store).purge(false, 10);
        assertThat(first).extracting(Purger.Action::kind, Purger.Action::name).containsExactly(
                org.assertj.core.groups.Tuple.tuple("remove-folder", "old"));
        assertThat(store.resolve("hoist_old")).doesNotExist();
        assertThat(store.resolve("hoist_web")).exists();
        assertThat(store.resolve("hoist_notmine")).as("no container.json: not Hoist's").exists();
        assertThat(store.resolve("other_machine")).exists();
        verify(engine, never()).remove(anyString());

        List<Purger.Action> second = new Purger(engine, store).purge(false, 10);
        assertThat(second).extracting(Purger.Action::kind).containsExactly("remove-container");
        verify(engine).stop("bbbbbbbbbbbbbbbb", 10);
        verify(engine).remove("bbbbbbbbbbbbbbbb");
        verify(engine, never()).remove("aaaaaaaaaaaaaaaa");
    }

    @Test
    void dry_run_changes_nothing() throws Exception {
        Files.delete(store.resolve("hoist_web/container.json"));
        Files.delete(store.resolve("hoist_web"));
        when(engine.listManaged()).thenReturn(List.of(labelled("aaaaaaaaaaaaaaaa", "web")));
        List<Purger.Action> actions = new Purger(engine, store).purge(true, 10);
        assertThat(actions).extracting(Purger.Action::kind).containsExactly("remove-folder", "remove-container");
        assertThat(store.resolve("hoist_old")).exists();
        verify(engine, never()).stop(anyString(), anyInt());
        verify(engine, never()).remove(anyString());
    }

    @Test
    void without_a_managed_list_no_folder_is_removed() throws Exception {
        Files.delete(store.resolve("hoist_purge/managed.json"));
        when(engine.listManaged()).thenReturn(List.of());
        assertThat(new Purger(engine, store).purge(false, 10)).isEmpty();
        assertThat(store.resolve("hoist_old")).exists();
    }
}
