package io.choria.hoist.fleet;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.lifecycle.Drain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Choria's service registry, the KV bucket {@code CHORIA_SERVICES} its gossip watchers publish
 * {@code register_ports} entries to (key {@code CLUSTER.PROTOCOL.SERVICE.INSTANCE}, a JSON value), read
 * and written with the project's KV client, connected as {@code tag} connects.
 */
public final class KvServices implements Drain.Registry {
    /** One live registration, as {@code endpoints} prints it. */
    public record Endpoint(String key, String cluster, String protocol, String service, String instance, String address, int port,
            int priority, Map<String, String> annotations) {
    }

    private final FleetContext ctx;
    private final ConnectionFlags flags;

    public KvServices(FleetContext ctx, ConnectionFlags flags) {
        this.ctx = ctx;
        this.flags = flags;
    }

    /** The drain of the container in {@code folder}, withdrawing through this registry. */
    public static Drain drain(FleetContext ctx, ConnectionFlags flags, Path folder) {
        return Drain.load(folder, new KvServices(ctx, flags));
    }

    /**
     * The endpoints registered under the filter {@code CLUSTER.PROTOCOL.SERVICE.*} (NATS wildcards),
     * sorted by key; none when the bucket does not exist. An entry whose value is not a registration
     * is left out.
     */
    public List<Endpoint> list(String filter) {
        Map<String, TagEntry> found;
        try {
            found = ctx.tagStore(flags).entriesByKey(Drain.BUCKET, filter);
        } catch (BucketMissingException e) {
            return List.of();
        }
        List<Endpoint> out = new ArrayList<>();
        for (Map.Entry<String, TagEntry> e : found.entrySet()) {
            Endpoint p = parse(e.getKey(), e.getValue().value());
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public int withdraw(List<Drain.Entry> entries) {
        if (!flags.anyConfigured(ctx.env())) {
            throw new HoistException(ExitCode.KV_ERROR, "no connection to the Choria broker is configured (HOIST_CHORIA_CONFIG or HOIST_NATS_URL)");
        }
        try {
            return delete(entries);
        } catch (HoistException e) {
            // Once more on a new connection: the server this one reached may have gone (a cluster
            // loses one), and a drain that gives up replaces the container without waiting.
            ctx.reconnectTagStore();
            return delete(entries);
        }
    }

    private int delete(List<Drain.Entry> entries) {
        int deleted = 0;
        for (Drain.Entry mine : entries) {
            for (Endpoint p : list(mine.filter())) {
                if (p.address().equals(mine.address()) && p.port() == mine.port()) {
                    ctx.tagStore(flags).deleteRaw(Drain.BUCKET, p.key());
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** A registration as go-choria's gossip watcher publishes it; null when the value is something else. */
    static Endpoint parse(String key, String value) {
        String[] k = key.split("\\.", -1);
        if (k.length != 4) {
            return null;
        }
        try {
            JsonObject o = JsonParser.parseString(value).getAsJsonObject();
            Map<String, String> annotations = new TreeMap<>();
            if (o.has("annotations") && o.get("annotations").isJsonObject()) {
                for (Map.Entry<String, JsonElement> a : o.getAsJsonObject("annotations").entrySet()) {
                    annotations.put(a.getKey(), a.getValue().getAsString());
                }
            }
            return new Endpoint(key, k[0], k[1], k[2], k[3], o.get("address").getAsString(), o.get("port").getAsInt(),
                    o.has("priority") ? o.get("priority").getAsInt() : 0, annotations);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NullPointerException
                | NumberFormatException | ClassCastException e) {
            return null;
        }
    }
}
