package io.choria.hoist.startup;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The lean Engine client's transport: one HTTP/1.0 GET per question straight to the Engine API over
 * the JDK's own unix-domain (or TCP) socket, the answer read to its end and parsed with
 * {@link LeanJson}: a few classes where docker-java's transport loads thousands. Plain endpoints
 * only ({@link DockerHost#lean}); docker/LeanEngineReader turns its answers into containers.
 *
 * <p>An answer that is not HTTP, or whose body is not the JSON the Engine API sends, means something
 * other than a Docker Engine listens at the endpoint: {@link HoistException} with exit 3
 * ({@link ExitCode#DOCKER_UNREACHABLE}) and one line that says so, not a stack trace.
 */
public final class EngineHttp {
    private static final int TIMEOUT_MILLIS = 10_000;
    private final int timeoutMillis;
    private final String host;
    private final SocketAddress address;
    private final StandardProtocolFamily family;

    public EngineHttp(String host) {
        this(host, TIMEOUT_MILLIS);
    }

    /** With another time limit per request (tests). */
    public EngineHttp(String host, int timeoutMillis) {
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

    public String host() {
        return host;
    }

    /**
     * An answer: its status, its body, and whether Podman sent it (its Docker-compatible service
     * adds a {@code Libpod-Api-Version} header to every answer, where Docker sends none).
     */
    public record Response(int status, String body, boolean libpod, String host) {
        public Response(int status, String body, boolean libpod) {
            this(status, body, libpod, null);
        }

        /** Exit 3 unless the Engine answered {@code want}. */
        public void expect(int want) {
            if (status != want) {
                throw new HoistException(ExitCode.DOCKER_UNREACHABLE, "the Docker Engine answered " + status + ": " + body.trim());
            }
        }

        /** The body, a JSON object; exit 3 when it is not one. */
        public JsonObject object() {
            JsonElement e = json();
            if (!e.isJsonObject()) {
                throw notTheEngine("a JSON object");
            }
            return e.getAsJsonObject();
        }

        /** The body, a JSON array; exit 3 when it is not one. */
        public JsonArray array() {
            JsonElement e = json();
            if (!e.isJsonArray()) {
                throw notTheEngine("a JSON array");
            }
            return e.getAsJsonArray();
        }

        private JsonElement json() {
            try {
                return LeanJson.parseOrGson(body);
            } catch (RuntimeException e) {
                throw notTheEngine("JSON");
            }
        }

        private HoistException notTheEngine(String wanted) {
            return garbage(host, "a body that is not " + wanted);
        }
    }

    /** What an Engine cannot have sent: exit 3, one line. */
    static HoistException garbage(String host, String what) {
        return new HoistException(ExitCode.DOCKER_UNREACHABLE, "what answers at " + (host == null ? "the Docker endpoint" : host)
                + " is not a Docker Engine: it sent " + what);
    }

    /** {@code GET PATH}; an {@link IOException} when the Engine cannot be reached or does not answer in time. */
    public Response get(String path) throws IOException {
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
                return parse(out.toString(StandardCharsets.UTF_8), host);
            } finally {
                watchdog.interrupt();
            }
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
            try {
                ch.close();
            } catch (IOException e) {
                // closing to unblock a hung read; nothing more to do
            }
        }
    }

    /** HTTP/1.0: status line, headers, blank line, body to EOF (no chunking); exit 3 for anything else. */
    public static Response parse(String raw, String host) {
        int headerEnd = raw.indexOf("\r\n\r\n");
        int lineEnd = raw.indexOf("\r\n");
        if (headerEnd < 0 || lineEnd < 0 || !raw.startsWith("HTTP/")) {
            throw garbage(host, "an answer that is not HTTP");
        }
        // "HTTP/1.x NNN Reason": three digits after the first space.
        int sp = raw.indexOf(' ');
        int status = -1;
        if (sp > 0 && sp + 4 <= lineEnd && (sp + 4 == lineEnd || raw.charAt(sp + 4) == ' ')) {
            status = 0;
            for (int i = sp + 1; i < sp + 4 && status >= 0; i++) {
                char c = raw.charAt(i);
                status = c >= '0' && c <= '9' ? status * 10 + (c - '0') : -1;
            }
        }
        if (status < 0) {
            throw garbage(host, "an HTTP status line without a status code");
        }
        // Each header line starts after a CRLF: a plain scan, not String.split (see package-info).
        boolean libpod = false;
        for (int at = lineEnd + 2; at < headerEnd && !libpod; ) {
            libpod = raw.regionMatches(true, at, "Libpod-Api-Version:", 0, 19);
            int next = raw.indexOf("\r\n", at);
            at = next < 0 ? headerEnd : next + 2;
        }
        return new Response(status, raw.substring(headerEnd + 4), libpod, host);
    }
}
