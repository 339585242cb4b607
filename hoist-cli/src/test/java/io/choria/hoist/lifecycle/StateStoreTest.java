package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    @TempDir Path dir;
    final List<String> warnings = new ArrayList<>();

    StateStore store() {
        return new StateStore(dir.resolve(StateStore.FILE_NAME), warnings::add);
    }

    @Test
    void reads_back_what_it_wrote() {
        Instant t = Instant.parse("2026-11-27T10:00:00Z");
        NodeState s = NodeState.EMPTY.started("example/web", "v2", "sha256:2", false, t)
                .rolledBackFrom("example/web", "v3", "never healthy", t)
                .startFailed("example/web:v3", t);
        store().save(s);
        assertThat(store().load()).isEqualTo(s);
        assertThat(warnings).isEmpty();
    }

    @Test
    void a_missing_file_is_empty_state() {
        assertThat(store().load()).isEqualTo(NodeState.EMPTY);
        assertThat(warnings).isEmpty();
    }

    @Test
    void a_damaged_file_is_reported_and_treated_as_empty() throws Exception {
        Files.writeString(dir.resolve(StateStore.FILE_NAME), "{\"lastGood\": [");
        assertThat(store().load()).isEqualTo(NodeState.EMPTY);
        assertThat(warnings).singleElement().asString().startsWith("ignoring unreadable ");
    }
}
