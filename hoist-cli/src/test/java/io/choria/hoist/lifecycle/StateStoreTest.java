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
        assertThat(warnings).singleElement().asString().contains("not valid JSON").contains("Hoist forgets that and carries on");
    }

    @Test
    void a_fact_with_a_missing_or_null_field_is_forgotten_and_the_others_kept() throws Exception {
        Files.writeString(dir.resolve(StateStore.FILE_NAME), "{\"lastGood\": {\"image\": \"example/web\", \"tag\": \"v2\"},"
                + " \"failed\": {\"image\": null, \"tag\": \"v3\"}, \"startFailures\": {\"count\": 2, \"retryAfter\": \"2026-11-27T10:00:00Z\"}}");
        NodeState s = store().load();
        assertThat(s.lastGoodTag("example/web")).isEqualTo("v2");
        assertThat(s.failed()).isNull();
        assertThat(s.startFailures()).isNull();
        assertThat(warnings).singleElement().asString().contains("failed.image is missing").contains("startFailures.ref is missing");
    }

    @Test
    void a_newer_format_with_unknown_fields_keeps_what_it_understands_and_says_so_once() throws Exception {
        Files.writeString(dir.resolve(StateStore.FILE_NAME), "{\"format\": 7, \"future\": [1, 2],"
                + " \"lastGood\": {\"image\": \"example/web\", \"tag\": \"v2\", \"digest\": \"sha256:x\"}}");
        assertThat(store().load().lastGoodTag("example/web")).isEqualTo("v2");
        assertThat(warnings).singleElement().asString().contains("ignores unknown field future").contains("ignores unknown field lastGood.digest");
        warnings.clear();
        assertThat(store().repairing().load().lastGoodTag("example/web")).isEqualTo("v2");
        assertThat(warnings).singleElement().asString().contains("rewritten with what was kept");
        warnings.clear();
        assertThat(store().load().lastGoodTag("example/web")).isEqualTo("v2");
        assertThat(warnings).isEmpty();
    }

    @Test
    void repair_rewrites_only_a_damaged_file() throws Exception {
        assertThat(store().repair()).isFalse();
        Files.writeString(dir.resolve(StateStore.FILE_NAME), "{\"lastGood\": {\"image\": \"example/web\", \"tag\": null}}");
        assertThat(store().repair()).isTrue();
        assertThat(store().repair()).isFalse();
        assertThat(store().load()).isEqualTo(NodeState.EMPTY);
        assertThat(warnings).isEmpty();
    }

    @Test
    void a_back_off_further_ahead_than_the_longest_one_is_not_honoured() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        var far = new NodeState.StartFailures("example/web:v2", 3, "9999-01-01T00:00:00Z");
        var near = new NodeState.StartFailures("example/web:v2", 3, now.plusSeconds(60).toString());
        assertThat(far.backingOff("example/web:v2", now)).isFalse();
        assertThat(near.backingOff("example/web:v2", now)).isTrue();
        assertThat(new NodeState.StartFailures(null, 1, null).backingOff("example/web:v2", now)).isFalse();
    }

    @Test
    void writes_atomically_leaving_no_temporary_file() throws Exception {
        store().save(NodeState.EMPTY.started("example/web", "v2", "sha256:2", false, Instant.parse("2026-11-27T10:00:00Z")));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateStore.FILE_NAME);
        }
        assertThat(Files.readString(dir.resolve(StateStore.FILE_NAME))).contains("\"format\": 1").contains("\"tag\": \"v2\"");
    }
}
