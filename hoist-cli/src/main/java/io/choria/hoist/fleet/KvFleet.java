package io.choria.hoist.fleet;

import io.choria.hoist.HoistException;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.lifecycle.FleetKv;
import io.choria.hoist.rollout.CanarySlots;
import io.choria.hoist.rollout.RolloutRecord;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.WatcherData;
import java.util.Optional;

/** {@link FleetKv} on the project's KV client, connected as {@code tag} connects (flags, environment, Choria config). */
public final class KvFleet implements FleetKv {
    private final FleetContext ctx;
    private final ConnectionFlags flags;

    public KvFleet(FleetContext ctx, ConnectionFlags flags) {
        this.ctx = ctx;
        this.flags = flags;
    }

    @Override
    public WatcherData refresh(ContainerSpec spec, WatcherData data) {
        if (!flags.anyConfigured(ctx.env())) {
            return data;
        }
        try {
            KvLocation tag = spec.kv();
            KvLocation marker = tag.failedMarker();
            Optional<TagEntry> now = ctx.tagStore(flags).get(tag);
            Optional<TagEntry> failed = ctx.tagStore(flags).get(marker);
            KvLocation rollout = RolloutRecord.location(tag);
            Optional<TagEntry> record = ctx.tagStore(flags).get(rollout);
            return data.with(tag.dataKey(), now.map(TagEntry::value).orElse(null))
                    .with(marker.dataKey(), failed.map(TagEntry::value).orElse(null))
                    .with(rollout.dataKey(), record.map(TagEntry::value).orElse(null));
        } catch (HoistException e) {
            ctx.warn("cannot read " + spec.kv() + " from the KV now (" + e.getMessage() + "); using the machine data");
            return data;
        }
    }

    @Override
    public Optional<Integer> claimCanary(ContainerSpec spec, RolloutRecord r) {
        if (!flags.anyConfigured(ctx.env())) {
            return Optional.empty();
        }
        try {
            return Optional.of(CanarySlots.claim(ctx.tagStore(flags), spec.kv(), r, NodeIdentity.of(ctx.env())));
        } catch (HoistException e) {
            ctx.warn("cannot ask for a canary slot of rollout " + r.id() + " in " + spec.kv().bucket() + " now (" + e.getMessage()
                    + "); staying on the previous tag");
            return Optional.empty();
        }
    }

    @Override
    public void markFailed(ContainerSpec spec, String tag) {
        if (!flags.anyConfigured(ctx.env())) {
            return;
        }
        try {
            ctx.tagStore(flags).put(spec.kv().failedMarker(), tag);
            ctx.warn("marked " + tag + " as failed in " + spec.kv().failedMarker() + " for the rest of the fleet");
        } catch (HoistException e) {
            ctx.warn("cannot mark " + tag + " as failed in " + spec.kv().failedMarker() + ": " + e.getMessage());
        }
    }
}
