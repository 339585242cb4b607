package io.choria.hoist.fleet;

import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.StatusReporter;
import io.choria.hoist.rollout.NodeReport;

/**
 * {@link StatusReporter.Sink} on the project's KV client: the bucket {@code HOIST_STATUS}, key
 * {@code NAME.IDENTITY}, connected as {@code start} connects (flags, environment, Choria config).
 * A missing bucket is made (one value per key, TTL {@link StatusReporter#TTL}, one replica; make
 * it beforehand for more replicas or another TTL: {@code choria kv add HOIST_STATUS --ttl 15m --replicas 3}).
 */
public final class KvStatus implements StatusReporter.Sink {
    private final FleetContext ctx;
    private final ConnectionFlags flags;

    public KvStatus(FleetContext ctx, ConnectionFlags flags) {
        this.ctx = ctx;
        this.flags = flags;
    }

    /** The status bucket's key of a container on a node. */
    public static String key(String container, String identity) {
        return container + "." + identity;
    }

    @Override
    public boolean configured() {
        return flags.anyConfigured(ctx.env());
    }

    @Override
    public boolean write(NodeReport r) {
        if (!flags.anyConfigured(ctx.env())) {
            return false;
        }
        if (r.identity() == null) {
            r = r.withIdentity(NodeIdentity.of(ctx.env()));
        }
        String key = key(r.container(), r.identity());
        try {
            ctx.tagStore(flags).putRaw(StatusReporter.BUCKET, key, r.toJson());
        } catch (BucketMissingException e) {
            ctx.tagStore(flags).ensureBucket(StatusReporter.BUCKET, 1, StatusReporter.TTL);
            ctx.tagStore(flags).putRaw(StatusReporter.BUCKET, key, r.toJson());
        }
        return true;
    }
}
