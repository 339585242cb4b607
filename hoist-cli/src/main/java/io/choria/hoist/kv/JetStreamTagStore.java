package io.choria.hoist.kv;

import io.choria.hoist.HoistException;
import io.choria.hoist.spec.KvLocation;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamInfoOptions;
import io.nats.client.api.Subject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * {@link TagStore} on NATS JetStream Key-Value buckets, the store behind {@code choria kv}.
 * The only class that uses jnats. It connects once, does not reconnect, and keeps quiet: jnats'
 * own logging is replaced by a listener that only remembers why a connection failed.
 */
public final class JetStreamTagStore implements TagStore {
    /** JetStream API error: stream not found (the bucket's stream {@code KV_BUCKET}). */
    static final int STREAM_NOT_FOUND = 10059;
    /** How long a JetStream API request may take. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    /** The largest value a bucket made by {@code --create} accepts, as {@code choria kv add}. */
    static final int MAX_VALUE_SIZE = 10240;

    private final Connection nc;
    private final String where;
    private final KeyValueOptions kvOptions;
    private final Map<String, KeyValue> buckets = new HashMap<>();
    private JetStreamManagement jsm;

    private JetStreamTagStore(Connection nc, String where) {
        this.nc = nc;
        this.where = where;
        this.kvOptions = KeyValueOptions.builder().jsRequestTimeout(REQUEST_TIMEOUT).build();
    }

    /**
     * Connects to the broker. A broker that cannot be reached (refused, timed out, TLS or
     * authorization failure) is a {@link KvException} with one line that says why.
     */
    public static JetStreamTagStore connect(ConnectionSettings s) {
        if (s.creds() != null && !Files.isReadable(s.creds())) {
            throw HoistException.badInput("NATS credentials file " + s.creds() + " cannot be read");
        }
        QuietListener listener = new QuietListener();
        Options.Builder b = new Options.Builder()
                .servers(s.servers().toArray(new String[0]))
                .connectionTimeout(s.connectTimeout())
                .maxReconnects(0)
                .noReconnect()
                .ignoreDiscoveredServers()
                .noRandomize()
                .connectionName("hoist-cli")
                .errorListener(listener)
                .connectionListener((conn, type) -> { });
        if (s.usesTls()) {
            b.sslContext(PemSsl.context(s.tls() == null ? new TlsFiles(null, null, null) : s.tls()));
            // jnats would otherwise connect to each resolved IP address under that address's name, and
            // the broker's certificate, which names the host, would fail the host name check.
            b.noResolveHostnames();
        }
        if (s.creds() != null) {
            b.authHandler(Nats.credentials(s.creds().toString()));
        }
        String where = String.join(",", s.servers()) + " (from " + s.source() + ")";
        try {
            return new JetStreamTagStore(Nats.connect(b.build()), where);
        } catch (IOException e) {
            String reason = listener.reason(e);
            if (reason.equals(QuietListener.TIMED_OUT) && s.usesTls() && (s.tls() == null || s.tls().cert() == null)) {
                reason += " (a broker that wants a client certificate stops the handshake like this: give --tls-cert and --tls-key)";
            }
            throw new KvException("cannot connect to NATS at " + where + ": " + reason, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KvException("interrupted while connecting to NATS at " + where, e);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw HoistException.badInput("cannot connect to NATS at " + where + ": " + e.getMessage());
        }
    }

    @Override
    public Optional<TagEntry> get(KvLocation loc) {
        try {
            KeyValueEntry e = bucket(loc.bucket()).get(loc.key());
            return e == null ? Optional.empty() : Optional.of(entry(e));
        } catch (IOException | JetStreamApiException e) {
            throw failure("read " + loc, loc.bucket(), e);
        }
    }

    @Override
    public List<TagEntry> history(KvLocation loc) {
        try {
            List<TagEntry> out = new ArrayList<>();
            for (KeyValueEntry e : bucket(loc.bucket()).history(loc.key())) {
                out.add(entry(e));
            }
            return out;
        } catch (IOException | JetStreamApiException e) {
            throw failure("read the history of " + loc, loc.bucket(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KvException("interrupted while reading " + loc, e);
        }
    }

    @Override
    public void delete(KvLocation loc) {
        try {
            bucket(loc.bucket()).delete(loc.key());
        } catch (IOException | JetStreamApiException e) {
            throw failure("delete " + loc, loc.bucket(), e);
        }
    }

    @Override
    public void deleteRaw(String bucket, String key) {
        try {
            bucket(bucket).delete(key);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw failure("delete " + bucket + "/" + key, bucket, e);
        }
    }

    @Override
    public TagEntry put(KvLocation loc, String value) {
        try {
            KeyValue kv = bucket(loc.bucket());
            long revision = kv.put(loc.key(), value);
            KeyValueEntry written = kv.get(loc.key(), revision);
            return written == null
                    ? new TagEntry(loc.bucket(), loc.key(), revision, Instant.now(), TagEntry.PUT, value)
                    : entry(written);
        } catch (IOException | JetStreamApiException e) {
            throw failure("write " + loc, loc.bucket(), e);
        }
    }

    /** JetStream API error: wrong last sequence (a create-only or compare-and-set write lost the race). */
    static final int WRONG_LAST_SEQUENCE = 10071;

    @Override
    public boolean createKey(KvLocation loc, String value) {
        return conditional("create " + loc, loc, kv -> kv.create(loc.key(), value.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean update(KvLocation loc, String value, long revision) {
        return conditional("write " + loc, loc, kv -> {
            if (revision == 0) {
                kv.create(loc.key(), value.getBytes(StandardCharsets.UTF_8));
            } else {
                kv.update(loc.key(), value, revision);
            }
        });
    }

    /** A write to a key that may lose a race. */
    @FunctionalInterface
    private interface Write {
        void to(KeyValue kv) throws IOException, JetStreamApiException;
    }

    /** Makes a create-only or compare-and-set WRITE: false when it lost the race ({@link #WRONG_LAST_SEQUENCE}). */
    private boolean conditional(String what, KvLocation loc, Write write) {
        try {
            write.to(bucket(loc.bucket()));
            return true;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == WRONG_LAST_SEQUENCE) {
                return false;
            }
            throw failure(what, loc.bucket(), e);
        } catch (IOException e) {
            throw failure(what, loc.bucket(), e);
        }
    }

    /**
     * How long {@link #entries} may take: a status bucket of 10,000 reports streams in well under a
     * second on loopback (bench/fleet-rollout.sh), so this bounds a broker that stops answering.
     */
    static final Duration LIST_TIMEOUT = Duration.ofSeconds(60);
    /** How often a listing in progress looks at its connection. */
    static final Duration LIST_POLL = Duration.ofMillis(100);

    /**
     * The latest value of every matching key, read as one stream (an ordered consumer delivering the
     * last message per subject, as {@code choria kv watch} does) rather than listing the keys and
     * asking for each: over a fleet's status bucket that is one request instead of a round trip per
     * node (issue 29: 10,000 gets took seconds).
     */
    /**
     * The keys come from the stream's state ({@code STREAM.INFO} with a subjects filter: one
     * request to the stream's leader, no consumer), each value from a get; a key whose last
     * operation is a delete reads as none and is left out.
     */
    @Override
    public Map<String, TagEntry> entriesByKey(String bucket, String filter) {
        try {
            KeyValue kv = bucket(bucket);
            String prefix = "$KV." + bucket + ".";
            var info = management().getStreamInfo("KV_" + bucket, StreamInfoOptions.filterSubjects(prefix + filter));
            Map<String, TagEntry> out = new TreeMap<>();
            List<Subject> subjects = info.getStreamState().getSubjects();
            for (Subject subject : subjects == null ? List.<Subject>of() : subjects) {
                String key = subject.getName().substring(prefix.length());
                KeyValueEntry e = kv.get(key);
                if (e != null && e.getOperation() == KeyValueOperation.PUT) {
                    out.put(key, entry(e));
                }
            }
            return out;
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            throw failure("list " + bucket + "/" + filter, bucket, e);
        }
    }

    @Override
    public Map<String, TagEntry> entries(String bucket, String filter) {
        try {
            KeyValue kv = bucket(bucket);
            Map<String, TagEntry> seen = new HashMap<>();
            CountDownLatch end = new CountDownLatch(1);
            KeyValueWatcher watcher = new KeyValueWatcher() {
                @Override
                public void watch(KeyValueEntry e) {
                    synchronized (seen) {
                        if (e.getOperation() == KeyValueOperation.PUT) {
                            seen.put(e.getKey(), entry(e));
                        } else {
                            seen.remove(e.getKey());
                        }
                    }
                }

                @Override
                public void endOfData() {
                    end.countDown();
                }
            };
            var sub = kv.watch(filter, watcher, KeyValueWatchOption.IGNORE_DELETE);
            try {
                long deadline = System.nanoTime() + LIST_TIMEOUT.toNanos();
                // The connection does not reconnect: once its server is gone the listing can never
                // end, so that is a failure at once (a caller such as endpoints --watch then connects
                // to the next server) rather than a wait of LIST_TIMEOUT.
                while (!end.await(LIST_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                    if (nc.getStatus() != Connection.Status.CONNECTED) {
                        throw new KvException("cannot list " + bucket + "/" + filter + " at " + where + ": the connection was lost ("
                                + nc.getStatus().name().toLowerCase(Locale.ROOT) + ")", null);
                    }
                    if (System.nanoTime() - deadline > 0) {
                        throw new KvException("cannot list " + bucket + "/" + filter + " at " + where + ": no end of the listing within "
                                + LIST_TIMEOUT.toSeconds() + " s", null);
                    }
                }
            } finally {
                try {
                    sub.unsubscribe();
                } catch (IllegalStateException closed) {
                    // the connection is gone, and the consumer with it
                }
            }
            synchronized (seen) {
                return new TreeMap<>(seen);
            }
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            // IllegalStateException: the connection closed (its server went away; it does not reconnect).
            throw failure("list " + bucket + "/" + filter, bucket, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KvException("interrupted while listing " + bucket, e);
        }
    }

    @Override
    public void putRaw(String bucket, String key, String value) {
        try {
            bucket(bucket).put(key, value);
        } catch (IOException | JetStreamApiException e) {
            throw failure("write " + bucket + "/" + key, bucket, e);
        }
    }

    @Override
    public void ensureBucket(String bucket, int replicas, Duration ttl) {
        try {
            bucket(bucket).getBucketName();
            return;
        } catch (BucketMissingException e) {
            // made below
        } catch (IOException e) {
            throw failure("open the bucket " + bucket, bucket, e);
        }
        try {
            nc.keyValueManagement(kvOptions).create(KeyValueConfiguration.builder()
                    .name(bucket).maxHistoryPerKey(1).replicas(replicas).ttl(ttl)
                    .maximumValueSize(MAX_VALUE_SIZE).storageType(StorageType.File).build());
            buckets.remove(bucket);
        } catch (JetStreamApiException e) {
            // Another node made it meanwhile: fine, as long as it is there now.
            if (e.getApiErrorCode() != 10058) {
                throw failure("create the bucket " + bucket, bucket, e);
            }
        } catch (IOException e) {
            throw failure("create the bucket " + bucket, bucket, e);
        }
    }

    @Override
    public void create(String bucket, int history, int replicas) {
        try {
            KeyValueManagement kvm = nc.keyValueManagement(kvOptions);
            kvm.create(KeyValueConfiguration.builder()
                    .name(bucket)
                    .maxHistoryPerKey(history)
                    .replicas(replicas)
                    .maximumValueSize(MAX_VALUE_SIZE)
                    .storageType(StorageType.File)
                    .build());
            buckets.remove(bucket);
        } catch (IOException | JetStreamApiException e) {
            throw failure("create the bucket " + bucket, bucket, e);
        } catch (IllegalArgumentException e) {
            throw HoistException.badInput("cannot create the bucket " + bucket + ": " + e.getMessage());
        }
    }

    /** JetStream's management API on this connection, made once (endpoints --watch asks every second). */
    private JetStreamManagement management() throws IOException {
        if (jsm == null) {
            jsm = nc.jetStreamManagement(JetStreamOptions.builder().requestTimeout(REQUEST_TIMEOUT).build());
        }
        return jsm;
    }

    private KeyValue bucket(String name) throws IOException {
        KeyValue kv = buckets.get(name);
        if (kv == null) {
            try {
                kv = nc.keyValue(name, kvOptions);
            } catch (IOException e) {
                if (e.getCause() instanceof JetStreamApiException api && api.getApiErrorCode() == STREAM_NOT_FOUND) {
                    throw new BucketMissingException(name);
                }
                throw e;
            }
            buckets.put(name, kv);
        }
        return kv;
    }

    private static TagEntry entry(KeyValueEntry e) {
        String op = switch (e.getOperation()) {
            case PUT -> TagEntry.PUT;
            case DELETE -> TagEntry.DELETE;
            case PURGE -> TagEntry.PURGE;
        };
        String value = TagEntry.PUT.equals(op) && e.getValue() != null ? e.getValueAsString() : null;
        return new TagEntry(e.getBucket(), e.getKey(), e.getRevision(),
                e.getCreated() == null ? null : e.getCreated().toInstant(), op, value);
    }

    private KvException failure(String what, String bucket, Exception e) {
        if (e instanceof JetStreamApiException api) {
            if (api.getApiErrorCode() == STREAM_NOT_FOUND) {
                return new BucketMissingException(bucket);
            }
            return new KvException("the broker at " + where + " refused to " + what + ": " + api.getErrorDescription()
                    + " (JetStream error " + api.getApiErrorCode() + ")", e);
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (msg.toLowerCase(Locale.ROOT).contains("timeout") || msg.toLowerCase(Locale.ROOT).contains("no response")) {
            msg += "; is JetStream enabled on the broker?";
        }
        return new KvException("cannot " + what + " at " + where + ": " + msg, e);
    }

    @Override
    public void close() {
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Replaces jnats' logging listener: remembers the first connect failure, prints nothing. */
    static final class QuietListener implements ErrorListener {
        static final String TIMED_OUT = "timed out";
        private final AtomicReference<Exception> exception = new AtomicReference<>();
        private final AtomicReference<String> error = new AtomicReference<>();
        private final CountDownLatch seen = new CountDownLatch(1);

        @Override
        public void errorOccurred(Connection conn, String text) {
            error.compareAndSet(null, text);
            seen.countDown();
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception exp) {
            exception.compareAndSet(null, exp);
            seen.countDown();
        }

        /** Why the connection failed, in words; jnats reports the cause on another thread, so wait a moment. */
        String reason(IOException thrown) {
            try {
                seen.await(500, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (error.get() != null) {
                return "the server said: " + error.get().strip();
            }
            Throwable t = exception.get() != null ? exception.get() : thrown;
            return describe(t);
        }

        static String describe(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                if (root instanceof SSLException) {
                    break;
                }
                root = root.getCause();
            }
            if (root instanceof ConnectException) {
                return "connection refused";
            }
            if (root instanceof SocketTimeoutException || root instanceof TimeoutException) {
                return TIMED_OUT;
            }
            if (root instanceof UnknownHostException) {
                return "unknown host " + root.getMessage();
            }
            if (root instanceof SSLException || root instanceof CertificateException) {
                String m = String.valueOf(root.getMessage());
                if (m.contains("PKIX path")) {
                    return "TLS failed: the broker's certificate is not signed by a CA in --tls-ca (or the JVM's trust store)";
                }
                return "TLS failed: " + m;
            }
            String m = root.getMessage();
            return m == null ? root.getClass().getSimpleName() : m;
        }
    }
}
