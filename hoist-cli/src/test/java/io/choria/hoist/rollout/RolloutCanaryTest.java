package io.choria.hoist.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.rollout.RolloutPolicy.CanaryClaim;
import io.choria.hoist.rollout.RolloutPolicy.Decision;
import io.choria.hoist.rollout.RolloutPolicy.Facts;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.WatcherData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Rule 2a of {@link RolloutPolicy}: a rollout ({@link RolloutRecord}) governing the KV's tag. */
class RolloutCanaryTest {
    static final ContainerSpec SPEC = SpecParser.parse(
            "{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v0\", \"kv_update\": true}", "container.json");

    static RolloutRecord record(String phase) {
        RolloutRecord r = new RolloutRecord("r1", "v2", "v1", 1, false, false, false, null, false, "2026-12-03T00:00:00Z", null);
        return switch (phase) {
            case "canary" -> r;
            case "promoted" -> r.promote();
            case "paused" -> r.pause(true);
            case "aborted" -> r.abort("aborted by the operator");
            case "rolling" -> new RolloutRecord("r1", "v2", "v1", 0, false, false, false, null, false, "t", null);
            default -> throw new IllegalArgumentException(phase);
        };
    }

    static Decision decide(String kvTag, String phase, String running, Integer slot) {
        WatcherData data = WatcherData.empty().with("TAG", kvTag).with("TAG_rollout", phase.equals("-") ? null : record(phase).toJson());
        return RolloutPolicy.decide(SPEC, Facts.of(SPEC, data, running, null, "v1", slot == null ? null : new CanaryClaim("r1", slot)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # case                                                        | KV tag | rollout  | running | slot | tag | source
        no rollout: the KV tag, as before                             | v2     | -        | v1      | -    | v2  | kv
        canary: a node holding a slot takes the tag                   | v2     | canary   | v1      | 1    | v2  | kv
        canary: a node whose slots were taken keeps the previous tag  | v2     | canary   | v1      | 0    | v1  | rollout
        canary: a node that has not asked keeps the previous tag      | v2     | canary   | v1      | -    | v1  | rollout
        promoted: every node takes the tag                            | v2     | promoted | v1      | 0    | v2  | kv
        without canaries: every node takes the tag                    | v2     | rolling  | v1      | -    | v2  | kv
        paused: a node on the new tag keeps it                        | v2     | paused   | v2      | 1    | v2  | kv
        paused: a node on the old tag keeps it                        | v2     | paused   | v1      | 0    | v1  | rollout
        aborted: the record no longer governs; the KV tag rules       | v1     | aborted  | v2      | 1    | v1  | kv
        a plain write of another tag supersedes the rollout           | v3     | canary   | v1      | 0    | v3  | kv
        """)
    void the_desired_tag_in_a_rollout(String name, String kv, String phase, String running, Integer slot, String tag, String source) {
        Decision d = decide(kv, phase == null ? "-" : phase, running, slot);
        assertThat(d.tag()).as(d.reason()).isEqualTo(tag);
        assertThat(d.source()).hasToString(source);
    }

    @Test
    void a_node_asks_for_a_slot_only_in_the_canary_phase_and_only_once() {
        WatcherData canary = WatcherData.empty().with("TAG", "v2").with("TAG_rollout", record("canary").toJson());
        assertThat(RolloutPolicy.needsCanaryClaim(SPEC, Facts.of(SPEC, canary, "v1", null, "v1", null))).isPresent();
        assertThat(RolloutPolicy.needsCanaryClaim(SPEC, Facts.of(SPEC, canary, "v1", null, "v1", new CanaryClaim("r1", 0)))).isEmpty();
        assertThat(RolloutPolicy.needsCanaryClaim(SPEC, Facts.of(SPEC, canary, "v1", null, "v1", new CanaryClaim("old", 1)))).isPresent();
        WatcherData promoted = WatcherData.empty().with("TAG", "v2").with("TAG_rollout", record("promoted").toJson());
        assertThat(RolloutPolicy.needsCanaryClaim(SPEC, Facts.of(SPEC, promoted, "v1", null, "v1", null))).isEmpty();
    }

    @Test
    void a_canary_tag_marked_failed_by_another_node_is_not_tried() {
        WatcherData data = WatcherData.empty().with("TAG", "v2").with("TAG_failed", "v2").with("TAG_rollout", record("canary").toJson());
        Decision d = RolloutPolicy.decide(SPEC, Facts.of(SPEC, data, "v1", null, "v1", new CanaryClaim("r1", 1)));
        assertThat(d.tag()).isEqualTo("v1");
        assertThat(d.isRollback()).isTrue();
    }

    @Test
    void the_record_round_trips_and_a_damaged_one_is_no_rollout() {
        RolloutRecord r = new RolloutRecord("abc123", "v2", null, 2, false, true, false, "2026-12-03T01:00:00Z", true, "2026-12-03T00:00:00Z", null);
        assertThat(RolloutRecord.parse(r.toJson())).contains(r);
        assertThat(RolloutRecord.parse("{\"id\": \"x y\", \"tag\": \"v2\"}")).isEmpty();
        assertThat(RolloutRecord.parse("{\"id\": \"a\", \"tag\": \"v2\", \"deadline\": \"soon\"}")).isEmpty();
        assertThat(RolloutRecord.parse("[1]")).isEmpty();
        assertThat(RolloutRecord.parse("not json")).isEmpty();
        assertThat(r.previous("v0")).isEqualTo("v0");
        assertThat(r.phase()).isEqualTo(RolloutRecord.Phase.PAUSED);
        assertThat(r.slot(new KvLocation("HOIST_weather", "TAG"), 2)).isEqualTo(new KvLocation("HOIST_weather", "TAG_canary_abc123_2"));
        assertThat(RolloutRecord.location(KvLocation.shared("HOIST", "weather"))).isEqualTo(new KvLocation("HOIST", "container/weather/tag_rollout"));
    }
}
