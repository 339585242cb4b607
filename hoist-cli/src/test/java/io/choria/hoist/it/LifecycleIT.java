package io.choria.hoist.it;

import static io.choria.hoist.it.TestServices.docker;
import static io.choria.hoist.it.TestServices.dockerOk;
import static io.choria.hoist.it.TestServices.hoist;
import static io.choria.hoist.it.TestServices.httpGet;
import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One container's whole lifecycle on a real Docker Engine, through the real shaded jar, with
 * images pulled from a real registry on 127.0.0.1 (the harness pushes hoist/web:v1 and :v2,
 * busybox httpd pages that name their version).
 */
class LifecycleIT {
    /**
     * Eventually: the container answers GET / (TestServices.httpGet). These specs have no probes, so start
     * returns once the container has been running for min_healthy_time (1 s by default), when busybox httpd,
     * started by sh right after one echo, is listening: the first try usually succeeds. 10 s cover a cold
     * start of the container on a loaded 2-core machine many times over.
     */
    static final Duration SERVE = Duration.ofSeconds(10);
    @TempDir Path tmp;
    Path store;
    Path data;
    Map<String, String> env;
    final List<String> names = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        data = Files.createDirectories(tmp.resolve("data"));
        env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost()));
    }

    @AfterEach
    void removeContainers() {
        TestServices.removeHoistContainers(names);
        docker("rm", "-f", "hoist_unlabelled_it");
    }

    /** Writes a spec serving on PORT and writing its GREETING into the data volume. */
    Path spec(String name, int port, String tag, String greeting, String extra) throws IOException {
        names.add(name);
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        String json = "{" + TestServices.machineKeys() + "\"name\": \"" + name + "\", \"image\": \"" + TestServices.registry() + "/hoist/web\", \"image_tag\": \"" + tag + "\","
                + " \"network\": \"host\", \"stop_timeout\": 2, \"volumes\": [\"" + data + ":/data\"],"
                + " \"environment\": [\"GREETING=" + greeting + "\"],"
                + " \"command\": \"sh -c 'echo $GREETING > /data/" + name + ".greeting; exec httpd -f -p 127.0.0.1:" + port + " -h /www'\""
                + extra + "}";
        Files.writeString(folder.resolve("container.json"), json);
        return folder;
    }

    /**
     * Runs the jar. check and status run on both of their paths, the lean Engine readers (the
     * default) and docker-java, which must agree exactly.
     */
    Result cli(Path cwd, String... args) {
        Result r = hoist(cwd, env, args);
        if (args.length > 0 && (args[0].equals("check") || args[0].equals("status"))) {
            // Two reads, one after the other: every check here reads a container that stays as it is between
            // them (healthy, exited by hand, or refused), so a difference is a disagreement, not timing.
            Map<String, String> dj = new HashMap<>(env);
            dj.put("HOIST_CHECK_CLIENT", "docker-java");
            Result other = hoist(cwd, dj, args);
            assertThat(other).as(args[0] + " on the docker-java path agrees with the lean path").isEqualTo(r);
        }
        return r;
    }

    String containerId(String name) {
        return dockerOk("ps", "-aq", "--no-trunc", "--filter", "label=io.choria.hoist.name=" + name);
    }

    @Test
    void start_serves_v1_with_the_specs_environment_volumes_and_command_then_check_passes() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("life", port, "v1", "hello-from-spec", "");
        Result start = cli(folder, "start", "life");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.OK);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        // No wait needed: the command writes the greeting before it execs httpd, which has just answered.
        assertThat(Files.readString(data.resolve("life.greeting")).trim()).isEqualTo("hello-from-spec");
        assertThat(dockerOk("inspect", "-f", "{{.Name}} {{index .Config.Labels \"io.choria.hoist.managed\"}}", containerId("life")))
                .isEqualTo("/hoist_life true");

        Result check = cli(folder, "check", "life");
        assertThat(check.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(check.out()).isEmpty();
        assertThat(check.err()).isEmpty();

        Result status = cli(folder, "status", "life", "--store", store.toString(), "--json");
        assertThat(status.exitCode()).as(status.err()).isEqualTo(ExitCode.OK);
        assertThat(status.out()).contains("\"state\": \"running\"").contains("\"GREETING=***\"").doesNotContain("hello-from-spec");
    }

    @Test
    void a_container_stopped_by_hand_fails_the_check_and_start_brings_it_back() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("handstop", port, "v1", "x", "");
        assertThat(cli(folder, "start", "handstop").exitCode()).isZero();
        // docker stop returns once the container has exited; unless-stopped does not restart a stopped one.
        dockerOk("stop", "-t", "1", "hoist_handstop");

        Result check = cli(folder, "check", "handstop");
        assertThat(check.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(check.errLines()).containsExactly("hoist-cli: check failed: hoist_handstop is exited");
        Result status = cli(folder, "status", "handstop", "--store", store.toString());
        assertThat(status.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(status.out()).contains("State:       exited");

        assertThat(cli(folder, "start", "handstop").exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        assertThat(cli(folder, "check", "handstop").exitCode()).isZero();
    }

    @Test
    void a_changed_spec_fails_the_check_until_restarted() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("respec", port, "v1", "first", "");
        assertThat(cli(folder, "start", "respec").exitCode()).isZero();
        spec("respec", port, "v1", "second", "");

        Result check = cli(folder, "check", "respec");
        assertThat(check.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(check.err()).contains("does not match its spec");

        assertThat(cli(folder, "restart", "respec").exitCode()).isZero();
        assertThat(cli(folder, "check", "respec").exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        // No wait needed: restart removed the first container, and the new one wrote its greeting before
        // exec'ing the httpd that has just answered.
        assertThat(Files.readString(data.resolve("respec.greeting")).trim()).isEqualTo("second");
    }

    @Test
    void update_pulls_v2_from_the_registry_then_start_moves_to_it_and_a_bad_tag_leaves_it_serving() throws IOException {
        String v2 = TestServices.registry() + "/hoist/web:v2";
        int port = TestServices.freePort();
        Path folder = spec("upd", port, "v1", "x", ", \"kv_update\": true");
        assertThat(cli(folder, "start", "upd").exitCode()).isZero();
        docker("rmi", v2);
        assertThat(docker("image", "inspect", v2).exitCode()).as("v2 is not present before update").isNotZero();

        env.put("WATCHER_DATA", Files.writeString(tmp.resolve("watcher.json"), "{\"TAG\": \"v2\"}").toString());
        Result check = cli(folder, "check", "upd");
        assertThat(check.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(check.err()).contains("should run " + v2 + ", which is not present yet");

        Result update = cli(folder, "update", "upd");
        assertThat(update.exitCode()).as(update.err()).isZero();
        assertThat(update.out().trim()).isEqualTo(v2 + " is present");
        assertThat(docker("image", "inspect", v2).exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).as("update does not touch the running container").isEqualTo("hoist-web v1");

        assertThat(cli(folder, "start", "upd").exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");
        assertThat(cli(folder, "check", "upd").exitCode()).isZero();
        String id = containerId("upd");

        Files.writeString(tmp.resolve("watcher.json"), "{\"TAG\": \"v9-never-pushed\"}");
        Result bad = cli(folder, "start", "upd");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.IMAGE_UNAVAILABLE);
        assertThat(bad.errLines()).singleElement().asString().startsWith("hoist-cli: cannot pull " + TestServices.registry() + "/hoist/web:v9-never-pushed");
        assertThat(containerId("upd")).as("the running container was not replaced").isEqualTo(id);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");
    }

    @Test
    void an_invalid_kv_value_is_ignored_and_the_running_tag_kept() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("badkv", port, "v1", "x", ", \"kv_update\": true");
        env.put("WATCHER_DATA", Files.writeString(tmp.resolve("watcher.json"), "{\"TAG\": \"v2\"}").toString());
        assertThat(cli(folder, "start", "badkv").exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");
        String id = containerId("badkv");

        for (String value : new String[] {"v3; rm -rf /", "x".repeat(200), "v 3"}) {
            Files.writeString(tmp.resolve("watcher.json"), "{\"TAG\": \"" + value + "\"}");
            Result check = cli(folder, "check", "badkv");
            assertThat(check.exitCode()).as("check keeps passing for %s", value).isZero();
            assertThat(check.errLines()).singleElement().asString().contains("is not a valid tag").contains("keeping the running tag v2");
            assertThat(cli(folder, "update", "badkv").exitCode()).isZero();
        }
        assertThat(containerId("badkv")).isEqualTo(id);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");
    }

    @Test
    void stop_removes_the_container() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("stopper", port, "v1", "x", "");
        assertThat(cli(folder, "start", "stopper").exitCode()).isZero();
        Result stop = cli(folder, "stop", "stopper");
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.out().trim()).isEqualTo("hoist_stopper stopped and removed");
        assertThat(containerId("stopper")).isEmpty();
        // Consistently not: nothing answers on the port. The container is already gone (above), so nothing can
        // start answering later and the first refused connection is the proof; 300 ms of retries add nothing a
        // slow machine could break, and the result is the same however soon the container went.
        assertThat(httpGet(port, Duration.ofMillis(300))).isNull();
        assertThat(cli(folder, "check", "stopper").exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
    }

    @Test
    void purge_removes_a_labelled_orphan_and_leaves_an_unlabelled_hoist_container_alone() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("orphan", port, "v1", "x", "");
        assertThat(cli(folder, "start", "orphan").exitCode()).isZero();
        // sleep 3600: it must still run at the end of the test (about 15 s measured), and @AfterEach removes it.
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", "hoist_unlabelled_it", "--net", "none"));
        run.addAll(TestServices.machineRunFlags());
        run.addAll(List.of(TestServices.registry() + "/hoist/web:v1", "sleep", "3600"));
        dockerOk(run.toArray(String[]::new));
        try (var files = Files.walk(folder)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }

        Result dry = cli(tmp, "purge", "--store", store.toString(), "--dry-run");
        assertThat(dry.exitCode()).isZero();
        assertThat(dry.out()).contains("would remove-container orphan");
        assertThat(containerId("orphan")).isNotEmpty();

        Result purge = cli(tmp, "purge", "--store", store.toString());
        assertThat(purge.exitCode()).as(purge.err()).isZero();
        assertThat(purge.out()).contains("remove-container orphan").doesNotContain("unlabelled");
        assertThat(containerId("orphan")).isEmpty();
        assertThat(dockerOk("inspect", "-f", "{{.State.Running}}", "hoist_unlabelled_it")).isEqualTo("true");
    }

    @Nested
    class BadInputIsRefusedAndTheRunningContainerLeftAlone {
        String runningId;
        Path folder;
        int port;

        @BeforeEach
        void startOne() throws IOException {
            port = TestServices.freePort();
            folder = spec("guarded", port, "v1", "x", ", \"kv_update\": true");
            assertThat(cli(folder, "start", "guarded").exitCode()).isZero();
            runningId = containerId("guarded");
        }

        void assertRefused(Result r, String expected) {
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(r.errLines()).singleElement().asString().startsWith("hoist-cli: ").contains(expected);
            assertThat(r.out()).isEmpty();
            assertThat(containerId("guarded")).as("the running container was not touched").isEqualTo(runningId);
            assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        }

        void writeSpec(String json) throws IOException {
            Files.writeString(folder.resolve("container.json"), json);
        }

        @Test
        void a_spec_without_image() throws IOException {
            writeSpec("{\"name\": \"guarded\"}");
            assertRefused(cli(folder, "restart", "guarded"), "field 'image' is required");
        }

        @Test
        void a_port_with_a_name() throws IOException {
            writeSpec("{\"name\": \"guarded\", \"image\": \"x/y\", \"ports\": [\"80:http\"]}");
            assertRefused(cli(folder, "restart", "guarded"), "field 'ports'");
        }

        @Test
        void an_unknown_field() throws IOException {
            writeSpec("{\"name\": \"guarded\", \"image\": \"x/y\", \"colour\": \"blue\"}");
            assertRefused(cli(folder, "stop", "guarded"), "field 'colour' unknown field");
        }

        @Test
        void tags_with_a_space_a_semicolon_or_too_long() throws IOException {
            for (String tag : new String[] {"v 2", "v2;reboot", "t".repeat(129)}) {
                writeSpec("{\"name\": \"guarded\", \"image\": \"x/y\", \"image_tag\": \"" + tag + "\"}");
                assertRefused(cli(folder, "restart", "guarded"), "is not a valid tag");
            }
        }

        @Test
        void an_unreadable_watcher_data_file() {
            env.put("WATCHER_DATA", tmp.resolve("no-such-file.json").toString());
            assertRefused(cli(folder, "restart", "guarded"), "WATCHER_DATA file");
        }

        @Test
        void docker_unreachable_is_one_line_and_exit_3() {
            env.put("DOCKER_HOST", "unix://" + tmp.resolve("no-docker.sock"));
            Result r = cli(folder, "check", "guarded");
            assertThat(r.exitCode()).isEqualTo(ExitCode.DOCKER_UNREACHABLE);
            assertThat(r.errLines()).singleElement().asString().startsWith("hoist-cli: cannot reach the Docker Engine at unix://");
        }
    }
}
