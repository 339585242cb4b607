package io.choria.hoist.kv;

import io.choria.hoist.spec.KvLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /**
     * Writes VALUE to the key only if it holds no value (never written, or deleted): true when this
     * call wrote it, false when the key held a value already. Two writers can never both succeed.
     */
    default boolean createKey(KvLocation location, String value) {
        throw new UnsupportedOperationException("createKey");
    }

    /**
     * Writes VALUE to the key only if its latest revision is still {@code revision} (0: the key holds
     * no value): true when written, false when someone wrote it meanwhile.
     */
    default boolean update(KvLocation location, String value, long revision) {
        throw new UnsupportedOperationException("update");
    }

    /**
     * The values of the keys of BUCKET that match FILTER (NATS subject wildcards: {@code web.>}),
     * by key; keys of any form (with dots), as written by {@link #putRaw}.
     */
    default Map<String, TagEntry> entries(String bucket, String filter) {
        throw new UnsupportedOperationException("entries");
    }

    /**
     * {@link #entries(String, String)} for a few keys, read key by key: which keys match, then each
     * one's value, with no consumer made on the broker. For {@code CHORIA_SERVICES} (a service's
     * registrations, read every second by {@code endpoints --watch} and by every drain), where
     * making a consumer is the slowest part, and the part that times out while a cluster is short
     * of a server.
     */
    default Map<String, TagEntry> entriesByKey(String bucket, String filter) {
        return entries(bucket, filter);
    }

    /** Writes VALUE to KEY of BUCKET, a key of any form NATS allows (e.g. {@code NAME.IDENTITY}). */
    default void putRaw(String bucket, String key, String value) {
        throw new UnsupportedOperationException("putRaw");
    }

    /** Deletes KEY of BUCKET, a key of any form (a delete marker: readers and watchers see it go). */
    default void deleteRaw(String bucket, String key) {
        throw new UnsupportedOperationException("deleteRaw");
    }

    /**
     * Creates BUCKET when it is missing, keeping one value per key on REPLICAS servers, each value
     * for TTL (the status bucket: a node that stops reporting vanishes).
     */
    default void ensureBucket(String bucket, int replicas, Duration ttl) {
        throw new UnsupportedOperationException("ensureBucket");
    }

    @Override
    void close();
}
