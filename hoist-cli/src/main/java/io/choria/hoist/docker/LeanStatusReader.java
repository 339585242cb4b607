package io.choria.hoist.docker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.choria.hoist.json.LeanJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code status}'s questions on the lean path: the list and inspect requests of the Engine API over
 * {@link LeanEngineReader}'s connection, parsed with gson; the same answers as
 * {@link DockerJavaEngine#find}, {@link DockerJavaEngine#listManaged} and
 * {@link DockerJavaEngine#repoDigests} (the integration tests run status both ways), without
 * docker-java's thousands of classes.
 */
public final class LeanStatusReader implements StatusReader {
    private final LeanEngineReader lean;

    LeanStatusReader(LeanEngineReader lean) {
        this.lean = lean;
    }

    /**
     * The reader {@code status} uses: the lean one where {@link DockerClients#reader} would use the
     * lean reader for check, else docker-java ({@code HOIST_CHECK_CLIENT=docker-java} forces it).
     */
    public static StatusReader forHost(String host, Map<String, String> env) {
        EngineReader r = DockerClients.reader(host, env);
        if (r instanceof LeanEngineReader l) {
            return new LeanStatusReader(l);
        }
        return (StatusReader) r;
    }

    @Override
    public Optional<ManagedContainer> find(String name) {
        List<String> ids = ids(Labels.NAME + "=" + name);
        return ids.isEmpty() ? Optional.empty() : inspect(ids.get(0));
    }

    @Override
    public List<ManagedContainer> listManaged() {
        List<ManagedContainer> out = new ArrayList<>();
        for (String id : ids(Labels.MANAGED + "=true")) {
            Optional<ManagedContainer> c = inspect(id);
            if (c.isPresent()) {
                out.add(c.get());
            }
        }
        return out;
    }

    @Override
    public Optional<String> imageId(String ref) {
        return lean.imageId(ref);
    }

    @Override
    public List<String> repoDigests(String imageIdOrRef) {
        LeanEngineReader.Response r = lean.get("/images/" + imageIdOrRef + "/json");
        if (r.status() == 404) {
            return List.of();
        }
        r.expect(200);
        JsonElement d = LeanJson.parseOrGson(r.body()).getAsJsonObject().get("RepoDigests");
        return d == null || !d.isJsonArray() ? List.of() : strings(d.getAsJsonArray());
    }

    /** The Engine's version and the API a versioned client would speak: one unversioned GET /version (status shows it; check never asks). */
    @Override
    public Optional<EngineApi> api() {
        return lean.api();
    }

    @Override
    public void close() {
        lean.close();
    }

    /** The ids of the containers with this label that carry {@link Labels#MANAGED} too, in the Engine's order. */
    private List<String> ids(String label) {
        String filters = "{\"label\":[\"" + label + "\"]}";
        LeanEngineReader.Response r = lean.get("/containers/json?all=1&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
        r.expect(200);
        List<String> ids = new ArrayList<>();
        for (JsonElement e : LeanJson.parseOrGson(r.body()).getAsJsonArray()) {
            JsonObject c = e.getAsJsonObject();
            if ("true".equals(LeanEngineReader.labels(c.get("Labels")).get(Labels.MANAGED))) {
                ids.add(LeanEngineReader.str(c, "Id"));
            }
        }
        return ids;
    }

    /** GET /containers/ID/json, as docker-java's inspect reads it; empty when the container is gone. */
    Optional<ManagedContainer> inspect(String id) {
        LeanEngineReader.Response r = lean.get("/containers/" + id + "/json");
        if (r.status() == 404) {
            return Optional.empty();
        }
        r.expect(200);
        JsonObject o = LeanJson.parseOrGson(r.body()).getAsJsonObject();
        JsonObject config = object(o, "Config");
        JsonObject state = object(o, "State");
        Map<String, String> labels = config == null ? Map.of() : LeanEngineReader.labels(config.get("Labels"));
        JsonObject health = state == null ? null : object(state, "Health");
        JsonElement env = config == null ? null : config.get("Env");
        JsonElement restarts = o.get("RestartCount");
        return Optional.of(new ManagedContainer(LeanEngineReader.str(o, "Id"), labels.get(Labels.NAME),
                state == null ? null : LeanEngineReader.str(state, "Status"), LeanEngineReader.str(o, "Image"),
                labels.get(Labels.IMAGE), labels.get(Labels.SPEC_HASH),
                health == null ? "none" : LeanEngineReader.str(health, "Status"),
                state == null ? null : LeanEngineReader.str(state, "StartedAt"),
                restarts == null || restarts.isJsonNull() ? 0 : restarts.getAsInt(),
                env == null || !env.isJsonArray() ? List.of() : strings(env.getAsJsonArray()), labels));
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || !e.isJsonObject() ? null : e.getAsJsonObject();
    }

    private static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : a) {
            out.add(e.getAsString());
        }
        return List.copyOf(out);
    }
}
