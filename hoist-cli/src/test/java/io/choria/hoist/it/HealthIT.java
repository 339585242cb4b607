package io.choria.hoist.it;

import static io.choria.hoist.it.TestServices.docker;
import static io.choria.hoist.it.TestServices.dockerOk;
import static io.choria.hoist.it.TestServices.hoist;
import static io.choria.hoist.it.TestServices.httpGet;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.it.TestServices.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health-gated starts, probes and rollback on a real Docker Engine, through the shaded jar. The
 * harness's hoist/web:v3 is a broken release: its web server exits at once.
 */
class HealthIT {
    static final Duration SERVE = Duration.ofSeconds(10);
    @TempDir Path tmp;
    Path store;
    Map<String, String> env;
    final List<String> names = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost()));
    }

    @AfterEach
    void removeContainers() {
        for (String n : names) {
            for (String id : docker("ps", "-aq", "--filter", "label=io.choria.hoist.name=" + n).out().split("\\s+")) {
                if (!id.isBlank()) {
                    docker("rm", "-f", id);
                }
            }
        }
    }

    Path spec(String name, int port, String extra) throws IOException {
        if (!names.contains(name)) {
            names.add(name);
        }
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{\"name\": \"" + name + "\", \"image\": \"" + TestServices.registry()
                + "/hoist/web\", \"image_tag\": \"v1\", \"network\": \"host\", \"stop_timeout\": 1, \"kv_update\": true,"
                + " \"command\": \"httpd -f -p 127.0.0.1:" + port + " -h /www\"" + extra + "}");
        return folder;
    }

    Result cli(Path cwd, String... args) {
        return hoist(cwd, env, args);
    }

    void kvTag(String tag) throws IOException {
        env.put("WATCHER_DATA", Files.writeString(tmp.resolve("watcher.json"), "{\"TAG\": \"" + tag + "\"}").toString());
    }

    JsonObject state(Path folder) throws IOException {
        return JsonParser.parseString(Files.readString(folder.resolve("hoist-state.json"))).getAsJsonObject();
    }

    @Test
    void start_waits_for_the_http_probe_and_min_healthy_time() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("gated", port, ", \"health_http\": \"http://127.0.0.1:" + port + "/health\", \"min_healthy_time\": \"3s\"");
        long t0 = System.nanoTime();
        Result start = cli(folder, "start", "gated");
        long took = Duration.ofNanos(System.nanoTime() - t0).toMillis();
        assertThat(start.exitCode()).as(start.err()).isZero();
        assertThat(took).as("start held on until the probe passed for 3 s").isGreaterThanOrEqualTo(3000);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        assertThat(cli(folder, "check", "gated").exitCode()).isZero();

        dockerOk("exec", "hoist_gated", "busybox", "rm", "/www/health");
        Result check = cli(folder, "check", "gated");
        assertThat(check.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(check.errLines()).containsExactly("hoist-cli: check failed: hoist_gated: probe http://127.0.0.1:" + port
                + "/health answered 404, expected 200");
    }

    @Test
    void a_container_that_never_passes_its_probe_fails_start_after_start_timeout() throws IOException {
        int port = TestServices.freePort();
        int nothing = TestServices.freePort();
        Path folder = spec("neverup", port, ", \"health_tcp\": \"" + nothing + "\", \"start_timeout\": \"4s\"");
        Result start = cli(folder, "start", "neverup");
        assertThat(start.exitCode()).isEqualTo(ExitCode.START_FAILED);
        assertThat(start.errLines()).singleElement().asString()
                .contains("did not become healthy within 4s: probe tcp 127.0.0.1:" + nothing + " failed");
        assertThat(state(folder).getAsJsonObject("startFailures").get("count").getAsInt()).isEqualTo(1);

        Result again = cli(folder, "start", "neverup");
        assertThat(again.exitCode()).isEqualTo(ExitCode.START_FAILED);
        assertThat(again.err()).contains("backing off until");
    }

    @Test
    void a_tag_that_never_becomes_healthy_is_rolled_back_and_not_retried_until_the_tag_changes() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("rollback", port, ", \"health_http\": \"http://127.0.0.1:" + port + "/health\", \"start_timeout\": \"6s\"");
        kvTag("v2");
        assertThat(cli(folder, "start", "rollback").exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");

        kvTag("v3");
        Result broken = cli(folder, "start", "rollback");
        assertThat(broken.exitCode()).as(broken.err()).isZero();
        assertThat(broken.err()).contains("/hoist/web:v3 did not become healthy within 6s").contains("rolling back to "
                + TestServices.registry() + "/hoist/web:v2");
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");
        JsonObject failed = state(folder).getAsJsonObject("failed");
        assertThat(failed.get("tag").getAsString()).isEqualTo("v3");

        Result check = cli(folder, "check", "rollback");
        assertThat(check.exitCode()).as("v3 is not wanted again while the KV still says v3").isZero();
        assertThat(check.err()).as("the remembered failure is not logged at every check").isEmpty();
        Result status = cli(folder, "status", "rollback", "--store", store.toString(), "--json", "--server", "nats://127.0.0.1:1");
        assertThat(status.out()).contains("\"failed_tag\": \"v3\"").contains("\"desired_source\": \"rollback\"");
        assertThat(status.err()).contains("tag v3 failed to become healthy on this node; staying on v2");

        kvTag("v4");
        assertThat(cli(folder, "start", "rollback").exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v4");
        assertThat(state(folder).get("failed")).as("forgotten once the tag moved on").isNull();
    }

    @Test
    void health_command_becomes_the_containers_docker_healthcheck() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("dockerhealth", port, ", \"health_command\": \"wget -q -O /dev/null http://127.0.0.1:" + port + "/health\"");
        Result start = cli(folder, "start", "dockerhealth");
        assertThat(start.exitCode()).as(start.err()).isZero();
        String id = dockerOk("ps", "-aq", "--filter", "label=io.choria.hoist.name=dockerhealth");
        assertThat(dockerOk("inspect", "-f", "{{json .Config.Healthcheck.Test}} {{.State.Health.Status}}", id))
                .isEqualTo("[\"CMD\",\"wget\",\"-q\",\"-O\",\"/dev/null\",\"http://127.0.0.1:" + port + "/health\"] healthy");
    }
}
