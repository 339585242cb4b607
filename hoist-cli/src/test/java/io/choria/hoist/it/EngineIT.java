package io.choria.hoist.it;

import static io.choria.hoist.it.TestServices.dockerOk;
import static io.choria.hoist.it.TestServices.hoist;
import static io.choria.hoist.it.TestServices.httpGet;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.it.TestServices.Manifest;
import io.choria.hoist.it.TestServices.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What differs between the Docker Engines Hoist runs on (harness/test.sh runs these on Docker 20.10,
 * on 26 with the graph driver and on 26 with the containerd image store): the API version hoist-cli
 * negotiates, and image ids, which under the containerd image store are the digest of the manifest
 * or image index pulled rather than of the image's config. check compares the running container's
 * image id with the local image's, status reports the digest: both must hold on every engine, for a
 * tag that moved in the registry and for a multi-platform image (an image index).
 */
class EngineIT {
    /** Eventually: the container answers GET / (as in LifecycleIT: start returns once it is running; 10 s are a wide margin). */
    static final Duration SERVE = Duration.ofSeconds(10);
    @TempDir Path tmp;
    Path store;
    Map<String, String> env;
    final List<String> names = new ArrayList<>();
    /** A repository of this test alone (the registry is shared by the engines of one CI run). */
    final String repository = "it-engine-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost()));
    }

    @AfterEach
    void removeContainers() {
        TestServices.removeHoistContainers(names);
    }

    String image() {
        return TestServices.registry() + "/" + repository;
    }

    void spec(String name, String tag, int port) throws IOException {
        names.add(name);
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{" + TestServices.machineKeys() + "\"name\": \"" + name + "\", \"image\": \"" + image()
                + "\", \"image_tag\": \"" + tag + "\", \"network\": \"host\", \"stop_timeout\": 1,"
                + " \"command\": \"httpd -f -p 127.0.0.1:" + port + " -h /www\"}");
    }

    Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", store.toString()));
        return hoist(null, env, all.toArray(String[]::new));
    }

    /** check on both of its paths, the lean reader and docker-java, which must agree exactly. */
    Result check(String name) {
        Result lean = cli("check", name);
        Map<String, String> dj = new HashMap<>(env);
        dj.put("HOIST_CHECK_CLIENT", "docker-java");
        List<String> all = List.of("check", name, "--store", store.toString());
        Result other = hoist(null, dj, all.toArray(String[]::new));
        assertThat(other).as("check on the docker-java path agrees with the lean path").isEqualTo(lean);
        return lean;
    }

    JsonObject status(String name) {
        Result r = cli("status", name, "--json");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    /**
     * status names {@code expected} (REPO@sha256:...) as the container's digest. On Podman, whose
     * RepoDigests pair every name of an image with every digest it knows it by (this test pushes the
     * image it pulled, and Podman's push recompresses the layers: a second digest), status names one
     * of the image's digests for the repository, and the registry's is among them.
     */
    void assertDigest(JsonObject status, String expected) {
        String shown = container(status, "digest");
        if (!"podman".equals(TestServices.engine())) {
            assertThat(shown).isEqualTo(expected);
            return;
        }
        List<String> ofRepository = JsonParser.parseString(dockerOk("image", "inspect", "-f", "{{json .RepoDigests}}", container(status, "image_id")))
                .getAsJsonArray().asList().stream().map(e -> e.getAsString()).filter(d -> d.startsWith(image() + "@")).toList();
        assertThat(ofRepository).contains(expected).contains(shown);
    }

    static String container(JsonObject status, String field) {
        var v = status.getAsJsonArray("containers").get(0).getAsJsonObject().get(field);
        return v == null || v.isJsonNull() ? null : v.getAsString();
    }

    /** The harness's hoist/web:TAG, present here, tagged and pushed as this test's REPOSITORY:AS. */
    void publish(String tag, String as) {
        String from = TestServices.registry() + "/hoist/web:" + tag;
        dockerOk("pull", "-q", from);
        dockerOk("tag", from, image() + ":" + as);
        dockerOk("push", "-q", image() + ":" + as);
    }

    @Test
    void status_names_the_engine_and_the_api_version_hoist_cli_negotiated() {
        String version = dockerOk("version", "-f", "{{.Server.Version}}");
        String api = dockerOk("version", "-f", "{{.Server.APIVersion}}");
        String min = dockerOk("version", "-f", "{{.Server.MinAPIVersion}}");
        // hoist-cli speaks 1.44 (docker-java's highest, Docker 29's lowest), or an older Engine's highest.
        String expected = Integer.parseInt(api.substring(api.indexOf('.') + 1)) < 44 ? api : "1.44";
        Result r = cli("status");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        String product = dockerOk("version", "-f", "{{range .Server.Components}}{{println .Name}}{{end}}").lines()
                .anyMatch("Podman Engine"::equals) ? "Podman" : "Docker";
        assertThat(product).as("the engine the harness says it started").isEqualTo("podman".equals(TestServices.engine()) ? "Podman" : "Docker");
        assertThat(r.out()).endsWith("Engine: " + product + " " + version + ", API " + expected + " (the Engine speaks " + min + " to " + api + ")\n");
        JsonObject engine = JsonParser.parseString(cli("status", "--json").out()).getAsJsonObject().getAsJsonObject("engine");
        assertThat(engine.get("api_version").getAsString()).isEqualTo(expected);
        assertThat(engine.get("engine_version").getAsString()).isEqualTo(version);
        assertThat(engine.get("engine_name").getAsString()).isEqualTo(product);
    }

    @Test
    void a_tag_moved_in_the_registry_is_drift_once_update_pulled_it_and_start_moves_to_it() throws IOException {
        int port = TestServices.freePort();
        publish("v1", "live");
        spec("moving", "live", port);
        Result start = cli("start", "moving");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.OK);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        assertThat(check("moving").exitCode()).isEqualTo(ExitCode.OK);
        String v1Digest = TestServices.registryManifest(repository, "live").digest();
        assertDigest(status("moving"), image() + "@" + v1Digest);

        // Another node publishes v2 as live; this node still holds the old live until it pulls.
        publish("v2", "live");
        dockerOk("tag", TestServices.registry() + "/hoist/web:v1", image() + ":live");
        String v2Digest = TestServices.registryManifest(repository, "live").digest();
        assertThat(v2Digest).isNotEqualTo(v1Digest);
        assertThat(check("moving").exitCode()).as("nothing changed here yet").isEqualTo(ExitCode.OK);

        Result update = cli("update", "moving");
        assertThat(update.exitCode()).as(update.err()).isEqualTo(ExitCode.OK);
        assertThat(httpGet(port, SERVE)).as("update does not touch the running container").isEqualTo("hoist-web v1");
        Result drift = check("moving");
        assertThat(drift.exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(drift.err()).contains("runs an earlier image of " + image() + ":live (the tag moved)");

        start = cli("start", "moving");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.OK);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");
        assertThat(check("moving").exitCode()).isEqualTo(ExitCode.OK);
        JsonObject status = status("moving");
        assertDigest(status, image() + "@" + v2Digest);
        assertThat(container(status, "image_id")).isEqualTo(dockerOk("image", "inspect", "-f", "{{.Id}}", image() + ":live"));
    }

    @Test
    void a_multi_platform_image_runs_passes_check_and_reports_the_index_digest() throws IOException {
        int port = TestServices.freePort();
        publish("v1", "single");
        Manifest single = TestServices.registryManifest(repository, "single");
        String platform = dockerOk("image", "inspect", "-f", "{{.Os}} {{.Architecture}}", image() + ":single");
        String index = TestServices.putImageIndex(repository, "multi", single, platform.split(" ")[0], platform.split(" ")[1]);
        assertThat(index).isNotEqualTo(single.digest());
        // This node never pulled the single-platform manifest: forget that it pushed it (the graph driver
        // would otherwise list both digests of the repository for the one image).
        TestServices.docker("rmi", image() + ":single");
        TestServices.docker("rmi", image() + "@" + single.digest());

        spec("multi", "multi", port);
        Result start = cli("start", "multi");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.OK);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        // Under the containerd image store the image id is the index's digest, elsewhere the config's:
        // either way the container's image id and the local image's agree, so check passes.
        assertThat(check("multi").exitCode()).isEqualTo(ExitCode.OK);
        JsonObject status = status("multi");
        assertDigest(status, image() + "@" + index); // the digest a node pulls by: the index's
        assertThat(container(status, "image_id")).isEqualTo(dockerOk("image", "inspect", "-f", "{{.Id}}", image() + ":multi"));
    }
}
