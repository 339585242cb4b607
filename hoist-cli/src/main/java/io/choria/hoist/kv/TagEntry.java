package io.choria.hoist.kv;

import java.time.Instant;

/**
 * One value of a tag key as the Key-Value store holds it: a write, or a delete or purge marker.
 *
 * @param bucket the bucket
 * @param key the key
 * @param revision the bucket-wide revision (the JetStream stream sequence)
 * @param time when the broker stored it
 * @param operation {@link #PUT}, {@link #DELETE} or {@link #PURGE}
 * @param value the value written; {@code null} for delete and purge markers
 */
public record TagEntry(String bucket, String key, long revision, Instant time, String operation, String value) {
    public static final String PUT = "put";
    public static final String DELETE = "delete";
    public static final String PURGE = "purge";

    /** A write (not a delete or purge marker). */
    public boolean isPut() {
        return PUT.equals(operation);
    }
}
