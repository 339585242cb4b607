package io.choria.hoist.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.spec.KvLocation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CanarySlots}: how a node asks for a canary slot. */
class CanarySlotsTest {
    static final KvLocation TAG = new KvLocation("HOIST_web", "TAG");

    static RolloutRecord rollout(int canary) {
        return new RolloutRecord("r1", "v2", "v1", canary, false, false, false, null, false, "2026-12-07T00:00:00Z", null);
    }

    @Test
    void nodes_take_the_slots_in_turn_and_the_rest_are_told_they_are_taken() {
        MemoryKv kv = new MemoryKv().bucket("HOIST_web");
        List<Integer> got = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            got.add(CanarySlots.claim(kv, TAG, rollout(3), "n" + n));
        }
        assertThat(got).containsExactly(1, 2, 3, 0, 0);
        assertThat(kv.get(rollout(3).slot(TAG, 2))).hasValueSatisfying(e -> assertThat(e.value()).isEqualTo("n2"));
    }

    @Test
    void a_slot_freed_by_a_deleted_key_is_taken_again() {
        MemoryKv kv = new MemoryKv().bucket("HOIST_web");
        assertThat(CanarySlots.claim(kv, TAG, rollout(1), "n1")).isEqualTo(1);
        kv.delete(rollout(1).slot(TAG, 1));
        assertThat(CanarySlots.claim(kv, TAG, rollout(1), "n2")).isEqualTo(1);
    }
}
