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
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    /**
     * Eventually: the container answers GET / (TestServices.httpGet). Every use follows a start that
     * returned only once its health gate passed, so httpd already listens and the first try succeeds;
     * 10 s leave room for a stalled connect on a loaded 2-core machine.
     */
    static final Duration SERVE = Duration.ofSeconds(10);
    @TempDir Path tmp;
    Path store;
    Map<String, String> env;
    /** The folder of a scripted health endpoint (see {@link #scriptedHealth}), mounted at /probe. */
    Path probe;
    final List<String> names = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost()));
    }

    @AfterEach
    void removeContainers() {
        TestServices.removeHoistContainers(names);
    }

    Path spec(String name, int port, String extra) throws IOException {
        if (!names.contains(name)) {
            names.add(name);
        }
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{" + TestServices.machineKeys() + "\"name\": \"" + name + "\", \"image\": \"" + TestServices.registry()
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

    /**
     * A health endpoint whose answers the test scripts by count, not by time: busybox httpd runs
     * /www/cgi-bin/health (mounted from the host) for each request; request N answers the status on line N
     * of probe/plan (its last line once past the end), or the one in probe/override while that file
     * exists, and every answer is appended to probe/answers, which the test reads back. Returns the spec
     * keys that mount it and probe it; the folder is {@link #probe}.
     */
    String scriptedHealth(int port, String... plan) throws IOException {
        Path cgi = Files.createDirectories(tmp.resolve("cgi-bin"));
        probe = Files.createDirectories(tmp.resolve("probe"));
        Files.writeString(probe.resolve("plan"), String.join("\n", plan) + "\n");
        Path script = Files.writeString(cgi.resolve("health"), String.join("\n",
                "#!/bin/sh",
                "n=1",
                "if [ -e /probe/answers ]; then while read -r _; do n=$((n + 1)); done < /probe/answers; fi",
                "i=0",
                "while read -r line; do i=$((i + 1)); status=$line; [ \"$i\" -lt \"$n\" ] || break; done < /probe/plan",
                "if [ -e /probe/override ]; then read -r status < /probe/override; fi",
                "echo \"$status\" >> /probe/answers",
                "printf 'Status: %s Scripted\\r\\nContent-Type: text/plain\\r\\n\\r\\n%s\\n' \"$status\" \"$status\"",
                ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return ", \"volumes\": [\"" + cgi + ":/www/cgi-bin:ro\", \"" + probe + ":/probe\"],"
                + " \"health_http\": \"http://127.0.0.1:" + port + "/cgi-bin/health\"";
    }

    /** The statuses the scripted health endpoint answered, in order. */
    List<String> answers() throws IOException {
        Path log = probe.resolve("answers");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void start_waits_for_the_http_probe_to_pass_and_keep_passing_then_check_follows_the_probe() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("gated", port, scriptedHealth(port, "503", "503", "200") + ", \"min_healthy_time\": \"3s\"");
        Result start = cli(folder, "start", "gated");
        assertThat(start.exitCode()).as(start.err()).isZero();
        // What start waited for, read from what it asked, not from how long it took (a slow machine makes any
        // start slow): it kept probing through two failures, and after the first pass it probed again,
        // because a streak of one passing probe lasts 0 s, never min_healthy_time; it returned on a pass.
        // How long the streak must last is LifecycleTest's (HealthGate, on a fake clock).
        List<String> answers = answers();
        assertThat(answers).as("answers to start's probes").startsWith("503", "503", "200");
        assertThat(answers.subList(2, answers.size())).as("answers after the first pass").hasSizeGreaterThanOrEqualTo(2).containsOnly("200");
        // Eventually: httpd answers on PORT; it has served the probe already, so the first try succeeds
        // (10 s of retries only absorb a stalled connection on a loaded machine).
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        assertThat(cli(folder, "check", "gated").exitCode()).isZero();

        Files.writeString(probe.resolve("override"), "404\n");
        Result check = cli(folder, "check", "gated");
        assertThat(check.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(check.errLines()).containsExactly("hoist-cli: check failed: hoist_gated: probe http://127.0.0.1:" + port
                + "/cgi-bin/health answered 404, expected 200");
    }

    @Test
    void a_probe_that_passes_once_and_then_fails_does_not_make_start_succeed() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("blip", port, scriptedHealth(port, "200", "503")
                + ", \"min_healthy_time\": \"1s\", \"start_timeout\": \"4s\"");
        Result start = cli(folder, "start", "blip");
        // Holds on any machine: the endpoint passes exactly one probe, and one passing probe is a streak of
        // 0 s, so no speed of the machine lets a correct start succeed. The answers show start did see the pass.
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.START_FAILED);
        assertThat(start.errLines()).singleElement().asString().contains("did not become healthy within 4s: probe http://127.0.0.1:"
                + port + "/cgi-bin/health answered 503, expected 200");
        assertThat(answers()).as("answers to start's probes").startsWith("200", "503");
    }

    @Test
    void a_container_that_never_passes_its_probe_fails_start_after_start_timeout_and_backs_off() throws IOException {
        int port = TestServices.freePort();
        try (Socket refused = TestServices.refusedPort()) {
            int nothing = refused.getLocalPort();
            Path folder = spec("neverup", port, ", \"health_tcp\": \"" + nothing + "\", \"start_timeout\": \"4s\"");
            Result start = cli(folder, "start", "neverup");
            assertThat(start.exitCode()).isEqualTo(ExitCode.START_FAILED);
            assertThat(start.errLines()).singleElement().asString()
                    .contains("did not become healthy within 4s: probe tcp 127.0.0.1:" + nothing + " failed");
            assertThat(state(folder).getAsJsonObject("startFailures").get("count").getAsInt()).isEqualTo(1);

            // Within the first back-off: it runs 30 s (NodeState.FIRST_BACKOFF) from the failure start recorded
            // as it exited, and this second start reads the state about 1 s later (one JVM start, measured);
            // a loaded machine would have to stall for 30 s between two commands to see the back-off over.
            Result again = cli(folder, "start", "neverup");
            assertThat(again.exitCode()).isEqualTo(ExitCode.START_FAILED);
            assertThat(again.err()).contains("backing off until");
        }
    }

    @Test
    void a_tag_that_never_becomes_healthy_is_rolled_back_and_not_retried_until_the_tag_changes() throws IOException {
        int port = TestServices.freePort();
        // The default start_timeout (60 s): v3's web server exits at once, which fails the gate at its
        // first look (brokenNow), so a short one would not make the test quicker; it would only fail
        // v4's healthy start on a loaded machine, and that start would roll back to v2 and exit 0.
        Path folder = spec("rollback", port, ", \"health_http\": \"http://127.0.0.1:" + port + "/health\"");
        kvTag("v2");
        Result v2 = cli(folder, "start", "rollback");
        assertThat(v2.exitCode()).as(v2.err()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");

        kvTag("v3");
        Result broken = cli(folder, "start", "rollback");
        assertThat(broken.exitCode()).as(broken.err()).isZero();
        assertThat(broken.err()).contains("/hoist/web:v3 did not become healthy: ").contains("into start_timeout 60s").contains("rolling back to "
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
        Result v4 = cli(folder, "start", "rollback");
        assertThat(v4.exitCode()).as(v4.err()).isZero();
        assertThat(v4.err()).as("v4 started without a rollback").doesNotContain("rolling back");
        assertThat(httpGet(port, SERVE)).as(v4.err()).isEqualTo("hoist-web v4");
        assertThat(state(folder).get("failed")).as("forgotten once the tag moved on").isNull();
    }

    @Test
    void health_command_becomes_the_containers_docker_healthcheck() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("dockerhealth", port, ", \"health_command\": \"wget -q -O /dev/null http://127.0.0.1:" + port + "/health\"");
        Result start = cli(folder, "start", "dockerhealth");
        assertThat(start.exitCode()).as(start.err()).isZero();
        String id = dockerOk("ps", "-aq", "--filter", "label=io.choria.hoist.name=dockerhealth");
        // No wait of the test's own: start returned only once Docker said healthy (its first check runs 5 s after
        // the start, within the default start_timeout of 60 s), and healthy turns unhealthy only after 3 failed
        // checks 5 s apart (ContainerPlan.HEALTH_*), so this read cannot land on another status.
        assertThat(dockerOk("inspect", "-f", "{{json .Config.Healthcheck.Test}} {{.State.Health.Status}}", id))
                .isEqualTo("[\"CMD\",\"wget\",\"-q\",\"-O\",\"/dev/null\",\"http://127.0.0.1:" + port + "/health\"] healthy");
    }
}
