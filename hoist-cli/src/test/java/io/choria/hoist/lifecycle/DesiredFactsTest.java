package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.rollout.RolloutPolicy.Source;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.WatcherData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The facts check, start, update and status hand the rollout policy: the running tag and this node's
 * memory count only for the spec's own image (an image changed in Hiera starts afresh).
 */
class DesiredFactsTest {
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    final ContainerSpec spec = SpecParser.parse("{\"name\": \"web\", \"image\": \"example/web\", \"image_tag\": \"v1\", \"kv_update\": true}", "t");

    static Optional<ManagedContainer> running(String ref) {
        return Optional.of(new ManagedContainer("c0ffee", "web", "running", "sha256:1", ref, "h", "none", null, 0, List.of(), Map.of()));
    }

    @Test
    void a_container_of_another_image_has_no_running_tag_to_keep() {
        WatcherData refused = WatcherData.of("TAG", "v2; rm -rf /");
        assertThat(Checker.desired(spec, refused, running("example/web:v3"), NodeState.EMPTY))
                .extracting(d -> d.tag(), d -> d.source()).containsExactly("v3", Source.RUNNING);
        assertThat(Checker.desired(spec, refused, running("example/old:v3"), NodeState.EMPTY))
                .extracting(d -> d.tag(), d -> d.source()).containsExactly("v1", Source.SPEC);
    }

    @Test
    void a_failed_tag_and_a_last_good_tag_of_another_image_do_not_count() {
        WatcherData v3 = WatcherData.of("TAG", "v3");
        NodeState same = NodeState.EMPTY.started("example/web", "v2", "sha256:2", false, NOW).rolledBackFrom("example/web", "v3", "x", NOW);
        assertThat(Checker.desired(spec, v3, Optional.empty(), same))
                .extracting(d -> d.tag(), d -> d.source()).containsExactly("v2", Source.ROLLBACK);
        NodeState other = NodeState.EMPTY.started("example/old", "v2", "sha256:2", false, NOW).rolledBackFrom("example/old", "v3", "x", NOW);
        assertThat(Checker.desired(spec, v3, Optional.empty(), other))
                .extracting(d -> d.tag(), d -> d.source()).containsExactly("v3", Source.KV);
    }
}
