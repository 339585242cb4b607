package io.choria.hoist.rollout;

import io.choria.hoist.kv.TagStore;
import io.choria.hoist.spec.KvLocation;

/**
 * How a node asks for a canary slot of a rollout ({@link RolloutRecord#slot}): one create-only key
 * per slot, so that no slot goes to two nodes however many ask at once. What {@code start} and
 * {@code update} do on a node, and what {@code bench/RolloutSim.java} runs for every simulated node.
 */
public final class CanarySlots {
    private CanarySlots() {
    }

    /**
     * Takes the first free slot of rollout R for IDENTITY: the slot now held (1..canary), or 0 when
     * every slot was taken by other nodes. Throws what the store throws when it cannot be asked.
     *
     * <p>With more than one slot, the last is read first: every node tries the slots in order, so
     * once the last is taken every slot is, and the rest of the fleet (all but N nodes) learns it from
     * one read instead of N create-only writes that fail (issue 29: with 10 canaries, 10 writes per
     * node on a new tag, from every node within one {@code kv_interval}).
     */
    public static int claim(TagStore kv, KvLocation tagKey, RolloutRecord r, String identity) {
        if (r.canary() > 1 && kv.get(r.slot(tagKey, r.canary())).isPresent()) {
            return 0;
        }
        for (int slot = 1; slot <= r.canary(); slot++) {
            if (kv.createKey(r.slot(tagKey, slot), identity)) {
                return slot;
            }
        }
        return 0;
    }
}
