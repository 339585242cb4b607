package io.choria.hoist.spec;

/**
 * Where a container's desired tag lives in the Choria Key-Value store, and the machine-data key
 * under which Choria's kv watcher stores it in {@code WATCHER_DATA}.
 *
 * <p>The Puppet module writes the resolved bucket and key into container.json; the kv watcher
 * runs with {@code bucket_prefix: false}, so the machine-data key is the KV key itself.
 * Defaults are the seed's layout: bucket {@code HOIST_NAME}, key {@code TAG}.
 */
public record KvLocation(String bucket, String key) {
    public static final String DEFAULT_KEY = "TAG";
    public static final String SHARED_BUCKET = "HOIST";
    public static final Grammar BUCKET = Grammar.of(Grammar.BUCKET, SchemaPatterns.KV_BUCKET);
    /** What Choria's kv watcher accepts as a key (its machine schema): no dots. */
    public static final Grammar KEY = Grammar.of(Grammar.KEY, SchemaPatterns.KV_KEY);

    public KvLocation {
        if (!BUCKET.matches(bucket)) {
            throw new IllegalArgumentException("bucket '" + bucket + "' must match " + BUCKET.pattern());
        }
        if (!KEY.matches(key)) {
            throw new IllegalArgumentException("key '" + key + "' must match " + KEY.pattern());
        }
    }

    /** The seed's layout: {@code choria kv put HOIST_weather TAG v2}. */
    public static KvLocation perContainer(String name) {
        return new KvLocation("HOIST_" + name, DEFAULT_KEY);
    }

    /** One bucket for many containers: key {@code container/NAME/tag}. */
    public static KvLocation shared(String bucket, String name) {
        return new KvLocation(bucket, "container/" + name + "/tag");
    }

    /** The key under which Choria's kv watcher (bucket_prefix false) stores the value. */
    public String dataKey() {
        return key;
    }

    /**
     * Where nodes mark a tag that failed its health gate, so that the rest of the fleet does not
     * try it: the tag key with {@code _failed} appended, in the same bucket.
     */
    public KvLocation failedMarker() {
        return new KvLocation(bucket, key + "_failed");
    }

    /** The JetStream stream that holds the bucket. */
    public String stream() {
        return "KV_" + bucket;
    }

    @Override
    public String toString() {
        return bucket + "/" + key;
    }
}
