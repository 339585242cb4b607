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
    void once_the_last_slot_is_taken_a_node_learns_it_from_one_read_and_writes_nothing() {
        CountingKv kv = new CountingKv();
        for (int n = 1; n <= 10; n++) {
            CanarySlots.claim(kv, TAG, rollout(10), "n" + n);
        }
        kv.creates = 0;
        kv.gets = 0;
        assertThat(CanarySlots.claim(kv, TAG, rollout(10), "n11")).isZero();
        assertThat(kv.creates).isZero();
        assertThat(kv.gets).isEqualTo(1);
    }

    @Test
    void while_a_slot_is_free_the_nodes_still_race_for_it_with_create_only_writes() {
        CountingKv kv = new CountingKv();
        for (int n = 1; n <= 9; n++) {
            CanarySlots.claim(kv, TAG, rollout(10), "n" + n);
        }
        kv.creates = 0;
        assertThat(CanarySlots.claim(kv, TAG, rollout(10), "n10")).isEqualTo(10);
        assertThat(kv.creates).isEqualTo(10);
    }

    /** MemoryKv, counting the reads and the create-only writes. */
    static final class CountingKv implements io.choria.hoist.kv.TagStore {
        final MemoryKv kv = new MemoryKv().bucket("HOIST_web");
        int gets;
        int creates;

        @Override
        public java.util.Optional<io.choria.hoist.kv.TagEntry> get(KvLocation loc) {
            gets++;
            return kv.get(loc);
        }

        @Override
        public boolean createKey(KvLocation loc, String value) {
            creates++;
            return kv.createKey(loc, value);
        }

        @Override
        public List<io.choria.hoist.kv.TagEntry> history(KvLocation loc) {
            return kv.history(loc);
        }

        @Override
        public io.choria.hoist.kv.TagEntry put(KvLocation loc, String value) {
            return kv.put(loc, value);
        }

        @Override
        public void delete(KvLocation loc) {
            kv.delete(loc);
        }

        @Override
        public void create(String bucket, int history, int replicas) {
            kv.create(bucket, history, replicas);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void a_slot_freed_by_a_deleted_key_is_taken_again() {
        MemoryKv kv = new MemoryKv().bucket("HOIST_web");
        assertThat(CanarySlots.claim(kv, TAG, rollout(1), "n1")).isEqualTo(1);
        kv.delete(rollout(1).slot(TAG, 1));
        assertThat(CanarySlots.claim(kv, TAG, rollout(1), "n2")).isEqualTo(1);
    }
}
