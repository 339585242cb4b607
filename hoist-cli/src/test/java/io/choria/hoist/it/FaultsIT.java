package io.choria.hoist.it;

import static io.choria.hoist.it.TestServices.docker;
import static io.choria.hoist.it.TestServices.dockerOk;
import static io.choria.hoist.it.TestServices.hoist;
import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.ExitCode;
import io.choria.hoist.it.TestServices.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults an operator meets, on a real Docker Engine through the shaded jar: two restarts at the
 * same moment, and a broken release whose failure must explain itself (hoist/web:v3 prints
 * "hoist-web v3 is broken" and exits 1).
 */
class FaultsIT {
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
        TestServices.removeHoistContainers(names);
    }

    void spec(String name, String tag, int port, String extra) throws IOException {
        names.add(name);
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{" + TestServices.machineKeys() + "\"name\": \"" + name + "\", \"image\": \"" + TestServices.registry()
                + "/hoist/web\", \"image_tag\": \"" + tag + "\", \"network\": \"host\", \"stop_timeout\": 1,"
                + " \"command\": \"httpd -f -p 127.0.0.1:" + port + " -h /www\"" + extra + "}");
    }

    Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", store.toString()));
        return hoist(null, env, all.toArray(String[]::new));
    }

    @Test
    void two_restarts_at_the_same_moment_both_succeed_one_after_the_other() throws Exception {
        spec("twice", "v1", TestServices.freePort(), "");
        assertThat(cli("start", "twice").exitCode()).isEqualTo(ExitCode.OK);
        for (int round = 0; round < 2; round++) {
            CompletableFuture<Result> a = CompletableFuture.supplyAsync(() -> cli("restart", "twice"));
            CompletableFuture<Result> b = CompletableFuture.supplyAsync(() -> cli("restart", "twice"));
            for (Result r : List.of(a.get(), b.get())) {
                assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
            }
            assertThat(dockerOk("ps", "-q", "--filter", "label=io.choria.hoist.name=twice").lines()).hasSize(1);
        }
    }

    @Test
    void a_broken_release_says_why_in_the_error_and_in_status() throws IOException {
        spec("broken", "v3", TestServices.freePort(), ", \"start_timeout\": \"5s\", \"environment\": [\"TOKEN=hoist-web\"]");
        Result r = cli("start", "broken");
        assertThat(r.exitCode()).isEqualTo(ExitCode.START_FAILED);
        // Why, as the gate last saw it: the container down ("it is exited", "it is restarting"), or
        // already restarted by the Engine's restart policy ("Docker restarted it (restarts 2)"):
        // Podman restarts a container that exits at once sooner than Docker's back-off does, so
        // which of the two the gate sees first depends on timing, and either says why.
        assertThat(r.err().lines()).singleElement().asString()
                .containsPattern("did not become healthy: (it is|Docker restarted it)").contains("into start_timeout 5s")
                .contains("exit code 1").contains("last output: *** v3 is broken")
                .doesNotContain("hoist-web");
        Result status = cli("status", "broken");
        assertThat(status.out()).contains("Last failure:").contains("*** v3 is broken");
    }
}
