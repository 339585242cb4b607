package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.lifecycle.Drain;
import io.choria.hoist.rollout.MemoryKv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** hoist-cli endpoints and drain (issue 27) on an in-memory CHORIA_SERVICES bucket; Docker is never used. */
class EndpointsCommandTest {
    static final String A = "{\"cluster\":\"lon\",\"service\":\"web\",\"protocol\":\"http\",\"address\":\"192.0.2.10\",\"port\":8080,\"priority\":1}";
    static final String B = "{\"cluster\":\"lon\",\"service\":\"web\",\"protocol\":\"http\",\"address\":\"192.0.2.11\",\"port\":8080,\"priority\":2,"
            + "\"annotations\":{\"zone\":\"a\"}}";
    static final String C = "{\"cluster\":\"ams\",\"service\":\"web\",\"protocol\":\"http\",\"address\":\"2001:db8::1\",\"port\":80,\"priority\":1}";

    @TempDir Path store;
    MemoryKv kv;
    Engine engine;
    Map<String, String> env;

    @BeforeEach
    void setUp() {
        kv = new MemoryKv().bucket(Drain.BUCKET);
        engine = mock(Engine.class);
        env = new HashMap<>();
        env.put("HOIST_NATS_URL", "nats://127.0.0.1:4222");
        kv.putRaw(Drain.BUCKET, "lon.http.web.aaaa", A);
        kv.putRaw(Drain.BUCKET, "lon.http.web.bbbb", B);
        kv.putRaw(Drain.BUCKET, "ams.http.web.cccc", C);
        kv.putRaw(Drain.BUCKET, "lon.http.other.dddd", A);
        kv.putRaw(Drain.BUCKET, "lon.http.web.junk", "not json");
    }

    CliRun run(String... args) {
        Context ctx = new Context(env, store, host -> engine, settings -> kv);
        return CliRun.of(ctx, false, args);
    }

    @Test
    void lists_every_registered_endpoint_of_a_service() {
        CliRun r = run("endpoints", "web");
        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).isEqualTo("[2001:db8::1]:80 priority=1 cluster=ams protocol=http instance=cccc\n"
                + "192.0.2.10:8080 priority=1 cluster=lon protocol=http instance=aaaa\n"
                + "192.0.2.11:8080 priority=2 cluster=lon protocol=http instance=bbbb zone=a\n");
        verifyNoInteractions(engine);
    }

    @Test
    void filters_by_cluster_and_prints_json() {
        CliRun r = run("endpoints", "web", "--cluster", "lon", "--json");
        assertThat(r.out()).startsWith("[{\"address\":\"192.0.2.10\",\"port\":8080,\"priority\":1,\"cluster\":\"lon\"")
                .contains("\"annotations\":{\"zone\":\"a\"}").doesNotContain("cccc").endsWith("]\n");
        assertThat(r.out().lines()).hasSize(1);
    }

    @Test
    void none_registered_is_an_empty_list_and_a_note() {
        CliRun r = run("endpoints", "nothing");
        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.err()).contains("no endpoints of nothing are registered in CHORIA_SERVICES");
        assertThat(run("endpoints", "nothing", "--json").out()).isEqualTo("[]\n");
    }

    @Test
    void a_service_that_is_not_a_name_is_bad_input() {
        CliRun r = run("endpoints", "web.*");
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(r.err()).isEqualTo("hoist-cli: SERVICE 'web.*' is not a name ([a-zA-Z][a-zA-Z0-9_-]*)\n");
    }

    void machine(String registrations) throws IOException {
        Path folder = Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(folder.resolve("container.json"), "{\"name\": \"web\", \"image\": \"example/web\"}");
        if (registrations != null) {
            Files.writeString(folder.resolve(Drain.FILE), registrations);
        }
    }

    @Test
    void drain_withdraws_this_nodes_entries_of_every_instance_and_no_others() throws IOException {
        kv.putRaw(Drain.BUCKET, "lon.http.web.older", A);
        machine("{\"drain_time\": \"0s\", \"registrations\": [{\"cluster\": \"lon\", \"protocol\": \"http\", \"service\": \"web\","
                + " \"ip\": \"192.0.2.10\", \"port\": 8080}]}");
        CliRun r = run("drain", "web", "--store", store.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).isEqualTo("withdrew 2 service registration(s) of hoist_web from CHORIA_SERVICES\n");
        assertThat(kv.entries(Drain.BUCKET, ">").keySet()).containsExactly("ams.http.web.cccc", "lon.http.other.dddd", "lon.http.web.bbbb",
                "lon.http.web.junk");
        verifyNoInteractions(engine);
    }

    @Test
    void drain_of_a_container_without_registrations_does_nothing() throws IOException {
        machine(null);
        CliRun r = run("drain", "web", "--store", store.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("registers no service");
        assertThat(kv.entries(Drain.BUCKET, ">")).hasSize(5);
    }
}
