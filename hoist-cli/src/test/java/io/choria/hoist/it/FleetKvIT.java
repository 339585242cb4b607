package io.choria.hoist.it;

import static io.choria.hoist.it.TestServices.docker;
import static io.choria.hoist.it.TestServices.dockerOk;
import static io.choria.hoist.it.TestServices.hoist;
import static io.choria.hoist.it.TestServices.httpGet;
import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.it.TestServices.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KV as the fleet's memory, on a real NATS JetStream and Docker Engine: node A finds a tag
 * broken and marks it; node B, whose machine data is stale, does not try it. Two containers with
 * their own names stand for two nodes sharing one bucket.
 */
class FleetKvIT {
    /**
     * Eventually: the container answers GET / (TestServices.httpGet). Every use follows a start gated on
     * health_http, which returned only once httpd answered, so the first try succeeds; 10 s leave room for a
     * stalled connect on a loaded 2-core machine. No other wait: a KV put is acknowledged before the command
     * that made it exits, so the next command reads it.
     */
    static final Duration SERVE = Duration.ofSeconds(10);
    @TempDir Path tmp;
    Map<String, String> env;
    String bucket;
    final List<String> names = List.of("fleeta", "fleetb");

    @BeforeEach
    void setUp() {
        bucket = "HOIST_fleet" + UUID.randomUUID().toString().substring(0, 8);
        env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost(), "HOIST_NATS_URL", TestServices.required("HOIST_TEST_NATS_URL")));
    }

    @AfterEach
    void removeContainers() {
        TestServices.removeHoistContainers(names);
    }

    /**
     * A node's spec, with the default start_timeout (60 s): the broken v3 exits at once, which fails the
     * gate at its first look, and a short one would only risk a healthy start failing on a loaded machine
     * (it would roll back and exit 0, as the broken one does).
     */
    Path node(String name, int port) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve(name).resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{" + TestServices.machineKeys() + "\"name\": \"" + name + "\", \"image\": \"" + TestServices.registry()
                + "/hoist/web\", \"image_tag\": \"v1\", \"network\": \"host\", \"stop_timeout\": 1, \"kv_update\": true,"
                + " \"kv_bucket\": \"" + bucket + "\", \"kv_key\": \"TAG\","
                + " \"health_http\": \"http://127.0.0.1:" + port + "/health\","
                + " \"command\": \"httpd -f -p 127.0.0.1:" + port + " -h /www\"}");
        return folder;
    }

    Result cli(Path cwd, Map<String, String> e, String... args) {
        return hoist(cwd, e, args);
    }

    String id(String name) {
        return dockerOk("ps", "-aq", "--no-trunc", "--filter", "label=io.choria.hoist.name=" + name);
    }

    @Test
    void a_tag_one_node_found_broken_is_marked_and_the_others_stay_on_the_last_good_one() throws IOException {
        int portA = TestServices.freePort();
        int portB = TestServices.freePort();
        Path a = node("fleeta", portA);
        Path b = node("fleetb", portB);
        assertThat(cli(a, env, "tag", "fleeta", "v2", "--create").exitCode()).isZero();
        assertThat(cli(a, env, "start", "fleeta").exitCode()).isZero();
        assertThat(cli(b, env, "start", "fleetb").exitCode()).isZero();
        assertThat(httpGet(portA, SERVE)).isEqualTo("hoist-web v2");
        assertThat(httpGet(portB, SERVE)).isEqualTo("hoist-web v2");
        String bId = id("fleetb");

        // v3 is broken: node A tries it, rolls back, and marks it for the fleet
        assertThat(cli(a, env, "tag", "fleeta", "v3").exitCode()).isZero();
        Result aStart = cli(a, env, "start", "fleeta");
        assertThat(aStart.exitCode()).as(aStart.err()).isZero();
        assertThat(aStart.err()).contains("rolling back to").contains("marked v3 as failed in " + bucket + "/TAG_failed");
        assertThat(httpGet(portA, SERVE)).isEqualTo("hoist-web v2");
        Result marker = cli(a, env, "tag", "fleeta", "--key", "TAG_failed");
        assertThat(marker.out().trim()).isEqualTo("v3");

        // node B's machine data is stale (TAG v3, no marker yet): it asks the KV and stays
        Map<String, String> stale = new HashMap<>(env);
        stale.put("WATCHER_DATA", Files.writeString(tmp.resolve("b.json"), "{\"TAG\": \"v3\"}").toString());
        Result bStart = cli(b, stale, "start", "--if-needed", "fleetb");
        assertThat(bStart.exitCode()).as(bStart.err()).isZero();
        assertThat(id("fleetb")).as("node B was not touched").isEqualTo(bId);
        assertThat(httpGet(portB, SERVE)).isEqualTo("hoist-web v2");
        Result bRestart = cli(b, stale, "restart", "fleetb");
        assertThat(bRestart.exitCode()).isZero();
        assertThat(dockerOk("inspect", "-f", "{{index .Config.Labels \"io.choria.hoist.image\"}}", id("fleetb")))
                .as("an operator's restart replaces, but never with the marked tag").endsWith("/hoist/web:v2");

        // a new tag from an operator clears the marker; everyone moves forward
        Result v4 = cli(a, env, "tag", "fleeta", "v4");
        assertThat(v4.err()).contains("cleared the failure marker " + bucket + "/TAG_failed");
        Result bV4 = cli(b, stale, "start", "--if-needed", "fleetb");
        assertThat(bV4.exitCode()).as(bV4.err()).isZero();
        assertThat(httpGet(portB, SERVE)).as(bV4.err()).isEqualTo("hoist-web v4");
        Result aV4 = cli(a, env, "start", "--if-needed", "fleeta");
        assertThat(aV4.exitCode()).as(aV4.err()).isZero();
        assertThat(httpGet(portA, SERVE)).as(aV4.err()).isEqualTo("hoist-web v4");
    }
}
