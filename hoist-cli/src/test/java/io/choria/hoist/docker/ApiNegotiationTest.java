package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both Engine clients (the lean reader check uses, and docker-java) against a fake Engine on a unix
 * socket that answers as Docker 29 does (it refuses API versions below 1.44) or as Docker 20.10 does
 * (it knows nothing above 1.41): docker-java asks GET /version once, then sends every request to the
 * version negotiated; the lean reader (check's) sends unversioned paths, which every Engine answers,
 * and asks GET /version only when its API version is wanted (status). The requests work.
 */
class ApiNegotiationTest {
    @TempDir Path dir;
    FakeEngine fake;

    @AfterEach
    void stop() throws IOException {
        if (fake != null) {
            fake.close();
        }
    }

    String host() {
        return "unix://" + fake.socket;
    }

    @Nested
    class OnDocker29 {
        @Test
        void the_lean_reader_reads_unversioned_and_names_1_44() throws IOException {
            fake = new FakeEngine(dir.resolve("d.sock"), "29.0.0", "1.52", "1.44");
            try (LeanEngineReader r = new LeanEngineReader(host())) {
                assertThat(r.find("web")).isEmpty();
                assertThat(r.imageId("example/web:v1")).isEmpty();
                assertThat(fake.requests).containsExactly(
                        "/containers/json?all=1&filters=%7B%22label%22%3A%5B%22io.choria.hoist.name%3Dweb%22%5D%7D",
                        "/images/example/web:v1/json");
                assertThat(r.api()).get().extracting(EngineApi::apiVersion).isEqualTo("1.44");
                assertThat(r.api()).get().extracting(EngineApi::apiVersion).isEqualTo("1.44");
            }
            assertThat(fake.requests).hasSize(3).last().isEqualTo("/version");
        }

        @Test
        void docker_java_speaks_1_44_whatever_its_configuration_says() throws IOException {
            fake = new FakeEngine(dir.resolve("d.sock"), "29.0.0", "1.52", "1.44");
            // docker-java reads api.version from system properties (and DOCKER_API_VERSION): an old
            // version pinned there is what broke clients on Docker 29. Hoist always sets its own.
            String before = System.setProperty("api.version", "1.24");
            try (Engine e = DockerClients.engine(host())) {
                assertThat(e.find("web")).isEmpty();
                assertThat(e.imageId("example/web:v1")).isEmpty();
                assertThat(e.api()).get().isEqualTo(new EngineApi("Docker", "29.0.0", "1.44", "1.52", "1.44"));
            } finally {
                if (before == null) {
                    System.clearProperty("api.version");
                } else {
                    System.setProperty("api.version", before);
                }
            }
            assertThat(fake.requests).hasSize(3);
            assertThat(fake.requests.get(0)).isEqualTo("/version");
            assertThat(fake.requests.subList(1, 3)).allMatch(p -> p.startsWith("/v1.44/"))
                    .anyMatch(p -> p.startsWith("/v1.44/containers/json?"))
                    .contains("/v1.44/images/example%2Fweb:v1/json"); // docker-java encodes the slash
        }
    }

    @Nested
    class OnDocker20 {
        @Test
        void the_lean_reader_reads_unversioned_and_names_1_41() throws IOException {
            fake = new FakeEngine(dir.resolve("d.sock"), "20.10.24", "1.41", "1.12");
            try (LeanEngineReader r = new LeanEngineReader(host())) {
                assertThat(r.imageId("example/web:v1")).isEmpty();
                assertThat(r.api()).get().extracting(EngineApi::apiVersion).isEqualTo("1.41");
            }
            assertThat(fake.requests).containsExactly("/images/example/web:v1/json", "/version");
        }

        @Test
        void docker_java_speaks_1_41() throws IOException {
            fake = new FakeEngine(dir.resolve("d.sock"), "20.10.24", "1.41", "1.12");
            try (Engine e = DockerClients.engine(host())) {
                assertThat(e.imageId("example/web:v1")).isEmpty();
                assertThat(e.api()).get().extracting(EngineApi::describe)
                        .isEqualTo("Docker 20.10.24, API 1.41 (the Engine speaks 1.12 to 1.41)");
            }
            assertThat(fake.requests).containsExactly("/version", "/v1.41/images/example%2Fweb:v1/json");
        }
    }

    @Test
    void an_endpoint_without_a_version_answer_is_exit_3_for_both() throws IOException {
        fake = new FakeEngine(dir.resolve("d.sock"), null, null, null);
        try (LeanEngineReader r = new LeanEngineReader(host())) {
            assertThatThrownBy(() -> r.api()).isInstanceOfSatisfying(HoistException.class,
                    e -> assertThat(e.exitCode()).isEqualTo(ExitCode.DOCKER_UNREACHABLE));
        }
        try (Engine e = DockerClients.engine(host())) {
            assertThatThrownBy(() -> e.imageId("example/web:v1")).isInstanceOfSatisfying(HoistException.class,
                    x -> assertThat(x.exitCode()).isEqualTo(ExitCode.DOCKER_UNREACHABLE));
        }
    }

    /**
     * An Engine API on a unix socket: GET /version answers the versions given (404 when null); a
     * versioned path below the minimum gets Docker's 400; /containers/json an empty list; any image 404.
     * One request per connection (Connection: close).
     */
    static final class FakeEngine implements AutoCloseable {
        private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");
        final Path socket;
        final List<String> requests = new CopyOnWriteArrayList<>();
        private final ServerSocketChannel server;
        private final Thread thread;

        FakeEngine(Path socket, String version, String api, String min) throws IOException {
            this.socket = socket;
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            String versionBody = version == null ? null : "{\"Version\":\"" + version + "\",\"ApiVersion\":\"" + api
                    + "\",\"MinAPIVersion\":\"" + min + "\",\"Os\":\"linux\",\"Arch\":\"amd64\"}";
            thread = new Thread(() -> serve(versionBody, min), "fake-engine");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(String versionBody, String min) {
            while (server.isOpen()) {
                try (SocketChannel c = server.accept()) {
                    String path = readRequestPath(c);
                    requests.add(path);
                    Matcher m = VERSIONED.matcher(path);
                    String rest = m.matches() ? m.group(2) : path;
                    if (m.matches() && min != null && EngineApi.compare(m.group(1), min) < 0) {
                        answer(c, 400, "{\"message\":\"client version " + m.group(1) + " is too old. Minimum supported API version is "
                                + min + ", please upgrade your client to a newer version\"}");
                    } else if (rest.equals("/version")) {
                        answer(c, versionBody == null ? 404 : 200, versionBody == null ? "{\"message\":\"page not found\"}" : versionBody);
                    } else if (rest.startsWith("/containers/json")) {
                        answer(c, 200, "[]");
                    } else {
                        answer(c, 404, "{\"message\":\"No such image\"}");
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static String readRequestPath(SocketChannel c) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (!head.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n") && c.read(buf) > 0) {
                head.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            String line = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
            String[] parts = line.split(" ");
            return parts.length > 1 ? parts[1] : line;
        }

        private static void answer(SocketChannel c, int status, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Error") + "\r\nContent-Type: application/json\r\n"
                    + "Api-Version: 1.52\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n";
            c.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            c.write(ByteBuffer.wrap(b));
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
