package io.choria.hoist.rollout;

import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.spec.KvLocation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A Key-Value store in memory with JetStream's create-only and compare-and-set semantics, for the rollout's tests. */
public final class MemoryKv implements TagStore {
    final Map<String, Map<String, TagEntry>> buckets = new TreeMap<>();
    long seq;

    public MemoryKv bucket(String name) {
        buckets.computeIfAbsent(name, k -> new TreeMap<>());
        return this;
    }

    private Map<String, TagEntry> b(String name) {
        Map<String, TagEntry> m = buckets.get(name);
        if (m == null) {
            throw new BucketMissingException(name);
        }
        return m;
    }

    @Override
    public Optional<TagEntry> get(KvLocation loc) {
        return Optional.ofNullable(b(loc.bucket()).get(loc.key())).filter(TagEntry::isPut);
    }

    @Override
    public List<TagEntry> history(KvLocation loc) {
        return get(loc).stream().toList();
    }

    @Override
    public TagEntry put(KvLocation loc, String value) {
        putRaw(loc.bucket(), loc.key(), value);
        return b(loc.bucket()).get(loc.key());
    }

    @Override
    public void putRaw(String bucket, String key, String value) {
        b(bucket).put(key, new TagEntry(bucket, key, ++seq, Instant.EPOCH, TagEntry.PUT, value));
    }

    @Override
    public void delete(KvLocation loc) {
        b(loc.bucket()).put(loc.key(), new TagEntry(loc.bucket(), loc.key(), ++seq, Instant.EPOCH, TagEntry.DELETE, null));
    }

    @Override
    public boolean createKey(KvLocation loc, String value) {
        if (get(loc).isPresent()) {
            return false;
        }
        put(loc, value);
        return true;
    }

    @Override
    public boolean update(KvLocation loc, String value, long revision) {
        long now = get(loc).map(TagEntry::revision).orElse(0L);
        if (now != revision) {
            return false;
        }
        put(loc, value);
        return true;
    }

    @Override
    public Map<String, TagEntry> entries(String bucket, String filter) {
        Map<String, TagEntry> out = new TreeMap<>();
        b(bucket).forEach((k, v) -> {
            if (matches(filter, k) && v.isPut()) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** NATS subject matching: {@code *} is one token, a last {@code >} one or more. */
    static boolean matches(String filter, String key) {
        String[] f = filter.split("\\.", -1);
        String[] k = key.split("\\.", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals(">")) {
                return i == f.length - 1 && k.length > i;
            }
            if (i >= k.length || !f[i].equals("*") && !f[i].equals(k[i])) {
                return false;
            }
        }
        return f.length == k.length;
    }

    @Override
    public void deleteRaw(String bucket, String key) {
        b(bucket).put(key, new TagEntry(bucket, key, ++seq, Instant.EPOCH, TagEntry.DELETE, null));
    }

    @Override
    public void ensureBucket(String bucket, int replicas, Duration ttl) {
        bucket(bucket);
    }

    @Override
    public void create(String bucket, int history, int replicas) {
        bucket(bucket);
    }

    @Override
    public void close() {
    }
}
