package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
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
        LeanEngineReader reader = new LeanEngineReader(serve(null), 300);
        long start = System.nanoTime();
        assertThatThrownBy(() -> reader.find("web")).isInstanceOf(DockerUnreachableException.class);
        // Eventually: the watchdog closed the channel after 300 ms (10 s allows for a loaded machine).
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(250L, 10_000L);
    }

    @Test
    void an_answer_within_the_time_limit_is_read_and_the_watchdog_leaves_it_alone() throws IOException, InterruptedException {
        LeanEngineReader reader = new LeanEngineReader(serve("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"
                + "{\"Id\": \"sha256:abc\"}"), 300);
        assertThat(reader.imageId("example/web:v1")).contains("sha256:abc");
        Thread.sleep(500);
        // The watchdog of the finished request did not fire into the next one.
        assertThat(reader.imageId("example/web:v1")).contains("sha256:abc");
    }
}
