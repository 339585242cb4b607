package io.choria.hoist.lifecycle;

import io.choria.hoist.rollout.RolloutRecord;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.WatcherData;
import java.util.Optional;

/**
 * The Key-Value store as the fleet's shared memory during a start. Choria's kv watcher hands
 * hoist-cli the tag as it was at its last poll; at start time hoist-cli asks the KV itself for the
 * tag and for the failure marker another node may have written meanwhile, and marks a tag that
 * failed its health gate here so that the rest of the fleet does not try it.
 */
public interface FleetKv {
    /** The machine data with the tag and the failure marker as the KV has them now; {@code data} when the KV cannot be asked. */
    WatcherData refresh(ContainerSpec spec, WatcherData data);

    /** Tells the fleet that TAG never became healthy here. Best effort. */
    void markFailed(ContainerSpec spec, String tag);

    /**
     * Asks for a canary slot of rollout R: the slot this node now holds (1..canary), 0 when every
     * slot is taken, or empty when the KV cannot be asked (the node then keeps the previous tag and
     * asks again at its next start or update).
     */
    default Optional<Integer> claimCanary(ContainerSpec spec, RolloutRecord r) {
        return Optional.empty();
    }

    /** No KV: the machine data is all there is. */
    FleetKv NONE = new FleetKv() {
        @Override
        public WatcherData refresh(ContainerSpec spec, WatcherData data) {
            return data;
        }

        @Override
        public void markFailed(ContainerSpec spec, String tag) {
        }
    };
}
