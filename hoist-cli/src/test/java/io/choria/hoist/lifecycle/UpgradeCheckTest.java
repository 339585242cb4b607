package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.WatcherData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After an upgrade of Hoist, check and start --if-needed leave a container made by the previous release alone. */
class UpgradeCheckTest {
    static final String SPEC = "{\"name\": \"web\", \"image\": \"example/web\"}";
    /** The label Hoist 0418ec7 gives a container made from SPEC (docker.SpecHashTest.LEGACY_MINIMAL says how it was obtained). */
    static final String LABEL_0418EC7 = "b218490ead3f5707dbe47c08ac95d479089ecb498e4b0ede222330076712c576";
    static final String REF = "example/web:latest";

    Engine engine;
    List<String> warnings;
    StateStore store;

    @BeforeEach
    void setUp(@TempDir Path tmp) {
        engine = mock(Engine.class);
        warnings = new ArrayList<>();
        store = new StateStore(tmp.resolve("hoist-state.json"), warnings::add);
        when(engine.imageId(REF)).thenReturn(Optional.of("sha256:1"));
    }

    ManagedContainer labelled(String specHash) {
        return new ManagedContainer("c0ffee", "web", "running", "sha256:1", REF, specHash, "none",
                "2026-01-01T00:00:00Z", 0, List.of(), Map.of());
    }

    static ContainerSpec spec(String json) {
        return SpecParser.parse(json, "container.json");
    }

    @Test
    void a_container_the_previous_release_made_passes_check_and_is_not_replaced() {
        ManagedContainer old = labelled(LABEL_0418EC7);
        when(engine.find("web")).thenReturn(Optional.of(old));
        // As this release's Puppet might write it: other key order, defaults spelled out.
        ContainerSpec same = spec("{\"network\": \"bridge\", \"stop_timeout\": 10, \"image\": \"example/web\", \"syslog\": false, \"name\": \"web\"}");

        assertThat(new Checker(engine, warnings::add).check(same, WatcherData.empty(), NodeState.EMPTY)).isEqualTo(CheckResult.pass());
        assertThat(new Lifecycle(engine, warnings::add).start(same, WatcherData.empty(), store, FleetKv.NONE, true)).isSameAs(old);
        verify(engine, never()).create(any());
        verify(engine, never()).stop(anyString(), anyInt());
        verify(engine, never()).remove(anyString());
        verify(engine, never()).pull(anyString());
    }

    @Test
    void a_container_the_previous_release_made_from_another_spec_fails_check() {
        when(engine.find("web")).thenReturn(Optional.of(labelled(LABEL_0418EC7)));
        ContainerSpec changed = spec("{\"name\": \"web\", \"image\": \"example/web\", \"stop_timeout\": 20}");
        CheckResult r = new Checker(engine, warnings::add).check(changed, WatcherData.empty(), NodeState.EMPTY);
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isEqualTo("hoist_web does not match its spec (changed since it was created)");
    }

    @Test
    void a_container_this_release_made_passes_and_carries_the_v2_label() {
        ContainerSpec s = spec(SPEC);
        String label = ContainerPlan.of(s, "latest").specHash();
        assertThat(label).startsWith("v2:");
        when(engine.find("web")).thenReturn(Optional.of(labelled(label)));
        assertThat(new Checker(engine, warnings::add).check(s, WatcherData.empty(), NodeState.EMPTY)).isEqualTo(CheckResult.pass());
    }
}
