package io.choria.hoist.fleet;

import io.choria.hoist.ExitCode;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.KvException;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.output.TagView;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.spec.KvLocation;

/**
 * {@code tag NAME TAG}: writes TAG (the command has checked it), creating a missing bucket when asked,
 * and clears the fleet's failure marker, as the rollout policy says an operator's write does.
 */
public final class TagWrite {
    private TagWrite() {
    }

    /**
     * The bucket to create when it is missing (--create).
     *
     * @param history values kept per key
     * @param replicas servers that keep a copy
     */
    public record NewBucket(int history, int replicas) {
    }

    /** Writes TAG at {@code at}; {@code create} is the bucket to make when it is missing, or null to refuse. */
    public static int run(TagStore store, TagAt at, String tag, NewBucket create, TagOutput output) {
        KvLocation loc = at.location();
        TagEntry written;
        try {
            written = store.put(loc, tag);
        } catch (BucketMissingException e) {
            if (create == null) {
                throw new KvException(e.getMessage() + ": nothing written; create it with 'choria kv add " + loc.bucket()
                        + "' or give --create", e);
            }
            store.create(loc.bucket(), create.history(), create.replicas());
            output.say().accept("created the Key-Value bucket " + loc.bucket() + " (history " + create.history() + ", replicas "
                    + create.replicas() + ")");
            written = store.put(loc, tag);
        }
        KvLocation marker = RolloutPolicy.markerClearedByWrite(loc);
        if (store.get(marker).isPresent()) {
            store.delete(marker);
            output.say().accept("cleared the failure marker " + marker);
        }
        TagView view = new TagView(written.value(), written.revision(), written.time() == null ? null : written.time().toString(),
                loc.bucket(), loc.key());
        output.result(view, view.written() + System.lineSeparator());
        return ExitCode.OK;
    }
}
