package io.choria.hoist.kv;

import io.choria.hoist.spec.KvLocation;
import java.util.List;
import java.util.Optional;

/**
 * The Key-Value store as Hoist uses it: read, list and write one tag key, and create a bucket.
 * The JetStream implementation is {@link JetStreamTagStore}; tests hand in fakes.
 *
 * <p>Every method throws {@link BucketMissingException} when the bucket does not exist and
 * {@link KvException} when the broker cannot be reached or refuses the operation.
 */
public interface TagStore extends AutoCloseable {
    /**
     * The current value of the key: empty when the key was never written or was deleted or purged
     * since (Choria's kv watcher then falls back to the spec's {@code image_tag}).
     */
    Optional<TagEntry> get(KvLocation location);

    /** Every value the bucket still keeps for the key, oldest first, delete markers included. */
    List<TagEntry> history(KvLocation location);

    /** Writes VALUE to the key; returns the new entry. The caller has validated VALUE. */
    TagEntry put(KvLocation location, String value);

    /** Deletes the key (a delete marker: readers see no value). */
    void delete(KvLocation location);

    /**
     * Creates the bucket, keeping HISTORY values per key on REPLICAS servers. Creating a bucket
     * that already exists with the same settings succeeds.
     */
    void create(String bucket, int history, int replicas);

    @Override
    void close();
}
