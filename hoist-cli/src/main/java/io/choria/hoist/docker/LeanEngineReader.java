package io.choria.hoist.docker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.startup.EngineHttp;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lean {@link EngineReader}, for {@code check}, which every node runs every few seconds for every
 * container, and {@code status}: the Engine's answers over {@link EngineHttp} (one HTTP/1.0 request
 * per question), read into containers. It loads a few dozen classes where docker-java loads
 * thousands. It gives the same answers as {@link DockerJavaEngine} (the integration tests run check
 * and status both ways against the same Engine). TLS endpoints are not supported here:
 * {@link Engines#reader} chooses docker-java for them.
 */
public final class LeanEngineReader implements EngineReader {
    private final EngineHttp http;
    /** Whether {@link #find} reads the container's details too (status), or only the list (check). */
    private final boolean details;
    private EngineApi api;

    LeanEngineReader(String host) {
        this(new EngineHttp(host), false);
    }

    /** Over another transport (tests: another time limit); {@code details}: as {@link Engines#statusReader}. */
    LeanEngineReader(EngineHttp http, boolean details) {
        this.http = http;
        this.details = details;
    }

    @Override
    public Optional<ManagedContainer> find(String name) {
        String filters = "{\"label\":[\"" + Labels.NAME + "=" + name + "\"]}";
        EngineHttp.Response r = get("/containers/json?all=1&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
        r.expect(200);
        JsonArray list = r.array();
        // During a replacement the new container, prepared as hoist_NAME-next, carries the labels
        // too: the one named hoist_NAME is the container, else the first.
        String canonical = "/" + ContainerSpec.containerName(name);
        JsonObject c = null;
        for (JsonElement e : list) {
            JsonObject each = e.getAsJsonObject();
            if ("true".equals(labels(each.get("Labels")).get(Labels.MANAGED)) && (c == null || named(each, canonical))) {
                c = each;
            }
        }
        if (c == null) {
            return Optional.empty();
        }
        Map<String, String> labels = labels(c.get("Labels"));
        String id = str(c, "Id");
        if (details) {
            return inspect(id);
        }
        // Podman's list Status ("Up 5 seconds") never names the health: one more request reads it.
        String health = r.libpod() ? inspectedHealth(id) : health(str(c, "Status"));
        return Optional.of(new ManagedContainer(id, labels.get(Labels.NAME), str(c, "State"),
                str(c, "ImageID"), labels.get(Labels.IMAGE), labels.get(Labels.SPEC_HASH), health,
                null, 0, List.of(), labels));
    }

    /** True when the listed container {@code c} has the Docker name {@code name} ("/hoist_NAME"). */
    private static boolean named(JsonObject c, String name) {
        JsonElement names = c.get("Names");
        if (names != null && names.isJsonArray()) {
            for (JsonElement n : names.getAsJsonArray()) {
                if (n.isJsonPrimitive() && name.equals(n.getAsString())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One more request, {@code GET /containers/ID/json}: the container with its start time, Docker's
     * restart count and its environment ({@code check --nagios}, {@code status}); as it was when it is gone.
     */
    @Override
    public ManagedContainer details(ManagedContainer c) {
        return inspect(c.id()).orElse(c);
    }

    @Override
    public List<ManagedContainer> listManaged() {
        List<ManagedContainer> out = new ArrayList<>();
        String filters = "{\"label\":[\"" + Labels.MANAGED + "=true\"]}";
        EngineHttp.Response r = get("/containers/json?all=1&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
        r.expect(200);
        for (JsonElement e : r.array()) {
            JsonObject c = e.getAsJsonObject();
            if ("true".equals(labels(c.get("Labels")).get(Labels.MANAGED))) {
                Optional<ManagedContainer> found = inspect(str(c, "Id"));
                if (found.isPresent()) {
                    out.add(found.get());
                }
            }
        }
        return out;
    }

    @Override
    public List<String> repoDigests(String imageIdOrRef) {
        JsonObject image = image(imageIdOrRef);
        JsonElement d = image == null ? null : image.get("RepoDigests");
        return d == null || !d.isJsonArray() ? List.of() : strings(d.getAsJsonArray());
    }

    /** GET /containers/ID/json, as docker-java's inspect reads it; empty when the container is gone. */
    Optional<ManagedContainer> inspect(String id) {
        EngineHttp.Response r = get("/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/json");
        if (r.status() == 404) {
            return Optional.empty();
        }
        r.expect(200);
        JsonObject o = r.object();
        JsonObject config = object(o, "Config");
        JsonObject state = object(o, "State");
        Map<String, String> labels = config == null ? Map.of() : labels(config.get("Labels"));
        JsonObject health = state == null ? null : object(state, "Health");
        JsonElement env = config == null ? null : config.get("Env");
        JsonElement restarts = o.get("RestartCount");
        return Optional.of(new ManagedContainer(str(o, "Id"), labels.get(Labels.NAME), state == null ? null : str(state, "Status"),
                str(o, "Image"), labels.get(Labels.IMAGE), labels.get(Labels.SPEC_HASH), health == null ? "none" : str(health, "Status"),
                state == null ? null : str(state, "StartedAt"), restarts == null || restarts.isJsonNull() ? 0 : restarts.getAsInt(),
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

    /** State.Health.Status from {@code GET /containers/ID/json}; none when it has none or is gone. */
    private String inspectedHealth(String id) {
        Optional<ManagedContainer> c = inspect(id);
        return c.isPresent() ? c.get().health() : "none";
    }

    @Override
    public Optional<String> imageId(String ref) {
        JsonObject image = image(ref);
        return image == null ? Optional.empty() : Optional.ofNullable(str(image, "Id"));
    }

    /** GET /images/REF/json; null when the Engine has no such image. */
    private JsonObject image(String ref) {
        EngineHttp.Response r = get("/images/" + ref + "/json");
        if (r.status() == 404) {
            return null;
        }
        r.expect(200);
        return r.object();
    }

    /**
     * Asks the Engine once, with an unversioned {@code GET /version}, which API version a versioned
     * client would speak, for {@code status} to show. {@link #find} and {@link #imageId} do not need
     * it: they send unversioned paths, which every Engine answers in its own current version (Docker
     * 29's minimum applies to versioned paths only), and the few fields they read (Id, State,
     * ImageID, Labels, Status) are the same in every version since 1.24, so {@code check} makes two
     * requests, not three.
     */
    @Override
    public Optional<EngineApi> api() {
        if (api == null) {
            EngineHttp.Response r = get("/version");
            r.expect(200);
            JsonObject v = r.object();
            List<String> components = new ArrayList<>();
            JsonElement c = v.get("Components");
            if (c != null && c.isJsonArray()) {
                for (JsonElement e : c.getAsJsonArray()) {
                    if (e.isJsonObject() && str(e.getAsJsonObject(), "Name") != null) {
                        components.add(str(e.getAsJsonObject(), "Name"));
                    }
                }
            }
            api = EngineApi.negotiate(EngineApi.engineName(components), str(v, "Version"), str(v, "ApiVersion"), str(v, "MinAPIVersion"));
        }
        return Optional.of(api);
    }

    @Override
    public void close() {
        // one connection per request, closed after it
    }

    /** Docker's list Status: "Up 5 minutes (healthy)", "(unhealthy)", "(health: starting)". */
    static String health(String status) {
        if (status == null) {
            return "none";
        }
        if (status.contains("(unhealthy)")) {
            return "unhealthy";
        }
        if (status.contains("(healthy)")) {
            return "healthy";
        }
        if (status.contains("(health: starting)")) {
            return "starting";
        }
        return "none";
    }

    static String str(JsonObject o, String key) {
        JsonElement v = o.get(key);
        return v == null || v.isJsonNull() ? null : v.getAsString();
    }

    static Map<String, String> labels(JsonElement e) {
        Map<String, String> m = new HashMap<>();
        if (e != null && e.isJsonObject()) {
            for (var entry : e.getAsJsonObject().entrySet()) {
                m.put(entry.getKey(), entry.getValue().getAsString());
            }
        }
        return m;
    }

    /** GET PATH; the Engine unreachable (exit 3) when it cannot be asked. */
    EngineHttp.Response get(String path) {
        try {
            return http.get(path);
        } catch (IOException e) {
            throw new DockerUnreachableException(http.host(), e);
        }
    }
}
