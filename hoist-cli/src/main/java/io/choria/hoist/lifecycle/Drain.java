package io.choria.hoist.lifecycle;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.choria.hoist.HoistException;
import io.choria.hoist.spec.SpecParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drains a container's service registrations before a planned replacement (issue 27): its
 * {@code register_ports} entries are deleted from Choria's {@code CHORIA_SERVICES} bucket, so that
 * consumers that follow the registry stop sending to it, then {@code drain_time} passes, then the old
 * container is stopped. Choria's gossip watcher (go-choria 0.30.2) stops publishing when the machine
 * leaves {@code RUN} but deletes nothing; without this, an entry would outlive its container until
 * the bucket's TTL.
 *
 * <p>Puppet writes the entries, resolved, and {@code drain_time} into {@value #FILE} beside
 * {@code container.json} (a container without {@code register_ports} has no such file: no drain, no
 * wait). The gossip watcher publishes an entry again when the machine enters {@code RUN}, that is
 * after the new container passed its health gate.
 */
public final class Drain {
    /** The file in the machine folder that lists the container's registrations. */
    public static final String FILE = "registrations.json";
    /** The bucket go-choria's gossip watcher publishes registrations to. */
    public static final String BUCKET = "CHORIA_SERVICES";
    /** drain_time when the file does not say (Puppet always does). */
    public static final Duration DEFAULT_TIME = Duration.ofSeconds(5);

    /** One registration: its key is {@code CLUSTER.PROTOCOL.SERVICE.INSTANCE}, its value names ADDRESS and PORT. */
    public record Entry(String cluster, String protocol, String service, String address, int port) {
        /** The keys of this registration, of every instance (every machine that published it). */
        public String filter() {
            return cluster + "." + protocol + "." + service + ".*";
        }
    }

    /** The registry as a drain uses it. */
    public interface Registry {
        /**
         * Deletes the keys of {@link #BUCKET} under each entry's {@link Entry#filter()} whose value
         * names the entry's address and port (this node's, whatever instance published it); returns
         * how many it deleted. Throws {@link HoistException} when the store cannot be asked.
         */
        int withdraw(List<Entry> entries);
    }

    /** Nothing registered: no drain, no wait. */
    public static final Drain NONE = new Drain(List.of(), Duration.ZERO, entries -> 0);

    private final List<Entry> entries;
    private final Duration time;
    private final Registry registry;
    private boolean done;

    public Drain(List<Entry> entries, Duration time, Registry registry) {
        this.entries = List.copyOf(entries);
        this.time = time;
        this.registry = registry;
    }

    public List<Entry> entries() {
        return entries;
    }

    public Duration time() {
        return time;
    }

    /**
     * Withdraws the entries and, when the container still {@code serves}, waits {@code drain_time}
     * (then withdraws again, in case the gossip watcher published once more as the machine left
     * {@code RUN}). A container that is not running has nothing to drain: withdrawn, no wait. Once
     * per command: a rollback's second replacement does not wait again. A store that cannot be
     * asked is a warning, never a reason to keep the container down or up: the replacement goes on
     * without waiting, and the entries expire with the bucket's TTL.
     */
    public void before(String container, boolean serves, Consumer<String> warn, Consumer<String> info, Lifecycle.Sleeper sleeper) {
        if (entries.isEmpty() || done) {
            return;
        }
        done = true;
        int withdrawn = withdraw(container, warn, "replacing it without draining: consumers keep its entries until the bucket's TTL");
        if (withdrawn >= 0) {
            drain(container, withdrawn, serves, warn, info, sleeper);
        }
    }

    /**
     * Withdraws the entries at once and waits for nothing: a container that keeps serving while
     * its machine goes (purge's first step, before Choria stops the machine; {@code maintenance}
     * runs {@code hoist-cli drain --no-wait}). A store that cannot be asked is a warning.
     */
    public void withdrawNow(String container, Consumer<String> warn, Consumer<String> info) {
        if (!entries.isEmpty()) {
            int withdrawn = withdraw(container, warn, "consumers keep them until the bucket's TTL");
            if (withdrawn >= 0) {
                info.accept("withdrew " + withdrawn + " service registration(s) of " + container + " from " + BUCKET);
            }
        }
    }

    /**
     * Before a retired container is removed (purge's second step, its machine stopped at least
     * the stop wait earlier, its entries withdrawn then): withdraws again and waits
     * {@code drain_time} only when any was still registered (published again before Choria
     * stopped the machine), then withdraws once more. Nothing registered: no wait.
     */
    public void beforeRemoval(String container, Consumer<String> warn, Consumer<String> info, Lifecycle.Sleeper sleeper) {
        if (entries.isEmpty() || done) {
            return;
        }
        done = true;
        int withdrawn = withdraw(container, warn, "removing it without draining: consumers keep its entries until the bucket's TTL");
        if (withdrawn > 0) {
            drain(container, withdrawn, true, warn, info, sleeper);
        }
    }

    /** Withdraws the entries: how many were deleted, or -1 (warned, with what follows) when the store cannot be asked. */
    private int withdraw(String container, Consumer<String> warn, String consequence) {
        try {
            return registry.withdraw(entries);
        } catch (HoistException e) {
            warn.accept("cannot withdraw " + container + "'s service registrations from " + BUCKET + " (" + e.getMessage() + "); "
                    + consequence);
            return -1;
        }
    }

    /** After a withdrawal: waits drain_time when the container {@code serves}, then withdraws again. */
    private void drain(String container, int withdrawn, boolean serves, Consumer<String> warn, Consumer<String> info,
            Lifecycle.Sleeper sleeper) {
        if (!serves || time.isZero()) {
            info.accept("withdrew " + withdrawn + " service registration(s) of " + container + " from " + BUCKET);
            return;
        }
        info.accept("withdrew " + withdrawn + " service registration(s) of " + container + " from " + BUCKET + "; draining for "
                + time.toSeconds() + "s");
        try {
            sleeper.sleep(time.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoistException(io.choria.hoist.ExitCode.SOFTWARE, "interrupted while draining " + container);
        }
        try {
            registry.withdraw(entries);
        } catch (HoistException e) {
            warn.accept("cannot withdraw " + container + "'s service registrations again after draining: " + e.getMessage());
        }
    }

    /**
     * The drain of the container whose machine folder is {@code folder}: {@link #NONE} when it
     * has no {@value #FILE}. A file that cannot be read or parsed is bad input (exit 2), like a bad
     * {@code container.json}: nothing is changed.
     */
    public static Drain load(Path folder, Registry registry) {
        Path file = folder.resolve(FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            throw HoistException.badInput(file + " cannot be read: " + e.getClass().getSimpleName());
        }
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            Duration time = o.has("drain_time") ? period(o.get("drain_time").getAsString(), file) : DEFAULT_TIME;
            List<Entry> out = new ArrayList<>();
            JsonArray list = o.has("registrations") ? o.getAsJsonArray("registrations") : new JsonArray();
            for (JsonElement e : list) {
                JsonObject r = e.getAsJsonObject();
                out.add(new Entry(name(r, "cluster", file), name(r, "protocol", file), name(r, "service", file),
                        r.get("ip").getAsString(), port(r, file)));
            }
            return new Drain(out, time, registry);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NullPointerException
                | ClassCastException e) {
            throw HoistException.badInput(file + " is not a registrations file as Puppet writes it (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** A name as the gossip watcher wants it ({@code [a-zA-Z][a-zA-Z0-9_-]*}): it is part of a key. */
    public static boolean isName(String v) {
        boolean ok = !v.isEmpty() && v.charAt(0) < 128 && Character.isLetter(v.charAt(0));
        for (int i = 0; ok && i < v.length(); i++) {
            char c = v.charAt(i);
            ok = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
        }
        return ok;
    }

    private static String name(JsonObject r, String key, Path file) {
        String v = r.get(key).getAsString();
        if (!isName(v)) {
            throw HoistException.badInput(file + ": " + key + " '" + io.choria.hoist.spec.Tags.printable(v)
                    + "' is not a name ([a-zA-Z][a-zA-Z0-9_-]*)");
        }
        return v;
    }

    private static int port(JsonObject r, Path file) {
        int p = r.get("port").getAsInt();
        if (p < 1 || p > 65535) {
            throw HoistException.badInput(file + ": port " + p + " is not 1-65535");
        }
        return p;
    }

    /** drain_time: a period as the schema has it ({@link SpecParser#PERIOD}, which may be 0s). */
    static Duration period(String s, Path file) {
        if (!SpecParser.PERIOD.matches(s)) {
            throw HoistException.badInput(file + ": drain_time '" + io.choria.hoist.spec.Tags.printable(s)
                    + "' is not a duration such as 0s, 5s or 1m");
        }
        return Duration.ofSeconds(SpecParser.seconds(s));
    }
}
