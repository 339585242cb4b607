package io.choria.hoist.docker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.json.LeanJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lean path for {@code check}, which every node runs every few seconds for every container:
 * one HTTP/1.0 request per question straight to the Engine API over the JDK's own unix-domain (or
 * TCP) socket, parsed with gson. It loads a few dozen classes where docker-java loads thousands.
 * It answers the same questions as {@link DockerJavaEngine} and is tested against the same Engine.
 * TLS endpoints are not supported here: {@link DockerClients#reader} uses docker-java for them.
 */
public final class LeanEngineReader implements EngineReader {
    private static final int TIMEOUT_MILLIS = 10_000;
    private final int timeoutMillis;
    private final String host;
    private final SocketAddress address;
    private final StandardProtocolFamily family;
    private EngineApi api;

    LeanEngineReader(String host) {
        this(host, TIMEOUT_MILLIS);
    }

    /** With another time limit per request (tests). */
    LeanEngineReader(String host, int timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        this.host = host;
        URI uri = URI.create(host);
        if ("unix".equals(uri.getScheme())) {
            this.address = UnixDomainSocketAddress.of(uri.getPath());
            this.family = StandardProtocolFamily.UNIX;
        } else if ("tcp".equals(uri.getScheme()) || "http".equals(uri.getScheme())) {
            this.address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
            this.family = null;
        } else {
            throw HoistException.badInput("unsupported Docker host " + host);
        }
    }

    /** True when this reader can talk to the endpoint (plain unix or tcp, no TLS). */
    static boolean supports(String host, String tlsVerify) {
        boolean tls = tlsVerify != null && !tlsVerify.isEmpty() && !"0".equals(tlsVerify);
        return !tls && (host.startsWith("unix://") || host.startsWith("tcp://"));
    }

    @Override
    public Optional<ManagedContainer> find(String name) {
        String filters = "{\"label\":[\"" + Labels.NAME + "=" + name + "\"]}";
        Response r = get("/containers/json?all=1&filters=" + URLEncoder.encode(filters, StandardCharsets.UTF_8));
        r.expect(200);
        JsonArray list = LeanJson.parseOrGson(r.body).getAsJsonArray();
        // During a replacement the new container, prepared as hoist_NAME-next, carries the labels
        // too: the one named hoist_NAME is the container, else the first.
        String canonical = "/" + io.choria.hoist.spec.ContainerSpec.containerName(name);
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
        // Podman's list Status ("Up 5 seconds") never names the health: one more request reads it.
        String health = r.libpod ? inspectedHealth(id) : health(str(c, "Status"));
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

    /** One more request, {@code GET /containers/ID/json}, for State.StartedAt and RestartCount. */
    @Override
    public ManagedContainer details(ManagedContainer c) {
        Response r = get("/containers/" + URLEncoder.encode(c.id(), StandardCharsets.UTF_8) + "/json");
        if (r.status == 404) {
            return c;
        }
        r.expect(200);
        JsonObject o = LeanJson.parseOrGson(r.body).getAsJsonObject();
        JsonElement state = o.get("State");
        String startedAt = state != null && state.isJsonObject() ? str(state.getAsJsonObject(), "StartedAt") : null;
        JsonElement restarts = o.get("RestartCount");
        int restartCount = restarts == null || restarts.isJsonNull() ? 0 : restarts.getAsInt();
        return new ManagedContainer(c.id(), c.name(), c.state(), c.imageId(), c.imageRef(), c.specHash(), c.health(),
                startedAt, restartCount, c.environment(), c.labels());
    }

    /** State.Health.Status from {@code GET /containers/ID/json}; none when it has none or is gone. */
    private String inspectedHealth(String id) {
        Response r = get("/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/json");
        if (r.status == 404) {
            return "none";
        }
        r.expect(200);
        JsonElement state = LeanJson.parseOrGson(r.body).getAsJsonObject().get("State");
        JsonElement health = state != null && state.isJsonObject() ? state.getAsJsonObject().get("Health") : null;
        return health != null && health.isJsonObject() ? str(health.getAsJsonObject(), "Status") : "none";
    }

    @Override
    public Optional<String> imageId(String ref) {
        Response r = get("/images/" + ref + "/json");
        if (r.status == 404) {
            return Optional.empty();
        }
        r.expect(200);
        return Optional.ofNullable(str(LeanJson.parseOrGson(r.body).getAsJsonObject(), "Id"));
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
            Response r = get("/version");
            r.expect(200);
            JsonObject v = LeanJson.parseOrGson(r.body).getAsJsonObject();
            List<String> components = new java.util.ArrayList<>();
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

    /**
     * An answer: its status, its body, and whether Podman sent it (its Docker-compatible service
     * adds a {@code Libpod-Api-Version} header to every answer, where Docker sends none).
     */
    record Response(int status, String body, boolean libpod) {
        Response(int status, String body) {
            this(status, body, false);
        }

        void expect(int want) {
            if (status != want) {
                throw new HoistException(ExitCode.DOCKER_UNREACHABLE, "the Docker Engine answered " + status + ": " + body.trim());
            }
        }
    }

    Response get(String path) {
        try (SocketChannel ch = family == null ? SocketChannel.open() : SocketChannel.open(family)) {
            // Channels have no read timeout: a watchdog closes a channel that hangs.
            Watchdog watchdog = new Watchdog(ch, timeoutMillis);
            watchdog.start();
            try {
                ch.connect(address);
                byte[] req = ("GET " + path + " HTTP/1.0\r\nHost: docker\r\nUser-Agent: hoist-cli\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                ch.write(ByteBuffer.wrap(req));
                ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
                ByteBuffer buf = ByteBuffer.allocate(8192);
                while (ch.read(buf) >= 0) {
                    out.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                return parse(out.toString(StandardCharsets.UTF_8));
            } finally {
                watchdog.interrupt();
            }
        } catch (IOException e) {
            throw new DockerUnreachableException(host, e);
        }
    }

    /**
     * Closes the channel of a request that has not ended within its time limit. A plain
     * daemon thread: an executor and a lambda cost more at start-up than the request itself.
     */
    private static final class Watchdog extends Thread {
        private final SocketChannel ch;
        private final int millis;

        Watchdog(SocketChannel ch, int millis) {
            super("hoist-engine-watchdog");
            this.ch = ch;
            this.millis = millis;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return; // the request ended
            }
            closeQuietly(ch);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing to unblock a hung read; nothing more to do
        }
    }

    /** HTTP/1.0: status line, headers, blank line, body to EOF (no chunking). */
    static Response parse(String raw) {
        int headerEnd = raw.indexOf("\r\n\r\n");
        int lineEnd = raw.indexOf("\r\n");
        if (headerEnd < 0 || lineEnd < 0 || !raw.startsWith("HTTP/")) {
            throw new HoistException(ExitCode.DOCKER_UNREACHABLE, "the Docker Engine sent a malformed response");
        }
        String[] statusLine = raw.substring(0, lineEnd).split(" ", 3);
        // Each header line starts after a CRLF; a plain scan, as String.split("\r\n") would compile a
        // regular expression on check's path.
        boolean libpod = false;
        for (int at = lineEnd + 2; at < headerEnd && !libpod; ) {
            libpod = raw.regionMatches(true, at, "Libpod-Api-Version:", 0, 19);
            int next = raw.indexOf("\r\n", at);
            at = next < 0 ? headerEnd : next + 2;
        }
        return new Response(Integer.parseInt(statusLine[1]), raw.substring(headerEnd + 4), libpod);
    }
}
