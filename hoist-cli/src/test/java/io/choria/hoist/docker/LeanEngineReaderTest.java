package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.startup.EngineHttp;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lean reader against a unix socket that answers as told, or not at all. */
class LeanEngineReaderTest {
    @TempDir Path dir;
    ServerSocketChannel server;
    final List<SocketChannel> accepted = new ArrayList<>();

    /** A server on dir/engine.sock that reads each request and answers ANSWER (null: never answers). */
    String serve(String answer) throws IOException {
        Path sock = dir.resolve("engine.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(sock));
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    synchronized (accepted) {
                        accepted.add(c);
                    }
                    c.read(ByteBuffer.allocate(4096));
                    if (answer != null) {
                        c.write(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
                        c.close();
                    }
                }
            } catch (IOException e) {
                // closed by the test
            }
        });
        t.setDaemon(true);
        t.start();
        return "unix://" + sock;
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        synchronized (accepted) {
            for (SocketChannel c : accepted) {
                c.close();
            }
        }
    }

    @Test
    void an_engine_that_never_answers_is_unreachable_after_the_time_limit() throws IOException {
        LeanEngineReader reader = new LeanEngineReader(new EngineHttp(serve(null), 300), false);
        long start = System.nanoTime();
        assertThatThrownBy(() -> reader.find("web")).isInstanceOf(DockerUnreachableException.class);
        // Eventually: the watchdog closed the channel after 300 ms (10 s allows for a loaded machine).
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 10_000L);
    }

    @Test
    void an_answer_within_the_time_limit_is_read_and_the_watchdog_leaves_it_alone() throws IOException, InterruptedException {
        LeanEngineReader reader = new LeanEngineReader(new EngineHttp(serve("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
                + "{\"Id\": \"sha256:abc\"}"), 300), false);
        assertThat(reader.imageId("example/web:v1")).contains("sha256:abc");
        Thread.sleep(500);
        // The watchdog of the finished request did not fire into the next one.
        assertThat(reader.imageId("example/web:v1")).contains("sha256:abc");
    }

    @Test
    void an_answer_with_a_libpod_header_is_podmans() {
        String podman = "HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\nLibpod-Api-Version: 4.3.1\r\n"
                + "Server: Libpod/4.3.1 (linux)\r\n\r\n[]";
        String docker = "HTTP/1.0 200 OK\r\nApi-Version: 1.41\r\nServer: Docker/20.10.24+dfsg1 (linux)\r\n\r\n[]";
        assertThat(EngineHttp.parse(podman, null)).isEqualTo(new EngineHttp.Response(200, "[]", true));
        assertThat(EngineHttp.parse(docker, null)).isEqualTo(new EngineHttp.Response(200, "[]", false));
        assertThat(EngineHttp.parse("HTTP/1.0 404 Not Found\r\n\r\n{}", null)).isEqualTo(new EngineHttp.Response(404, "{}", false));
    }

    /**
     * Something other than a Docker Engine at the endpoint (a web server, a proxy's error page, another
     * protocol): exit 3 with one line that says so, for check and check --nagios (UNKNOWN) alike, not
     * exit 70 and a stack trace.
     */
    @Test
    void an_answer_that_is_not_the_engine_api_is_exit_3_with_one_line() throws IOException {
        String[] garbage = {"SSH-2.0-OpenSSH_9.2\r\n", "HTTP/1.0 abc OK\r\n\r\n[]", "HTTP/1.0\r\n\r\n[]",
            "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html>It works!</html>",
            "HTTP/1.0 200 OK\r\n\r\n{\"message\": \"an object where a list belongs\"}", "HTTP/1.0 200 OK\r\n\r\n"};
        for (String answer : garbage) {
            stop();
            server = null;
            Files.deleteIfExists(dir.resolve("engine.sock"));
            LeanEngineReader reader = new LeanEngineReader(serve(answer));
            assertThatThrownBy(() -> reader.find("web")).as(answer)
                    .isInstanceOfSatisfying(HoistException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.DOCKER_UNREACHABLE);
                        assertThat(e.getMessage()).startsWith("what answers at unix://").contains("is not a Docker Engine: it sent ")
                                .doesNotContain("\n");
                    });
        }
    }

    @Test
    void a_blank_health_status_is_none() {
        // Podman inspects a container without a health check as State.Health.Status "", Docker as no State.Health
        for (String blank : new String[] {null, "", " "}) {
            assertThat(new ManagedContainer("id", "web", "running", "sha256:1", "r/web:v1", "v2:x", blank, null, 0,
                    java.util.List.of(), java.util.Map.of()).health()).isEqualTo("none");
        }
    }
}
