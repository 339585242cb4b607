package io.choria.hoist.it;

import static io.choria.hoist.it.TestServices.docker;
import static io.choria.hoist.it.TestServices.dockerOk;
import static io.choria.hoist.it.TestServices.hoist;
import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.it.TestServices.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image cleanup on the real dockerd: ten successive tag updates of one container with
 * {@code keep_images: 2} leave the running image and the two most recently pulled others of its
 * repository, plus what cleanup must never remove: an image an unrelated container (no Hoist
 * labels) uses, and one that hoist-cli did not pull for this container (the operator pulled it).
 */
class ImageCleanupIT {
    static final int UPDATES = 10;
    static final int KEEP = 2;
    static final String UNRELATED = "hoist_cleanup_it_unrelated";
    @TempDir Path tmp;
    String repo;

    @AfterEach
    void cleanUp() {
        TestServices.removeHoistContainers(List.of("cleanit"));
        docker("rm", "-f", UNRELATED, "hoist_cleanup_it_source");
        for (int i = 1; i <= UPDATES; i++) {
            docker("rmi", repo + ":t" + i);
        }
    }

    /** The tags of the repository's local images. */
    List<String> localTags() {
        String out = dockerOk("images", "--format", "{{.Tag}}", repo);
        return new ArrayList<>(new TreeSet<>(Arrays.stream(out.split("\\s+")).filter(t -> !t.isBlank()).toList()));
    }

    @Test
    void ten_updates_leave_at_most_keep_images_plus_one_of_those_hoist_pulled() throws Exception {
        repo = TestServices.registry() + "/hoist/cleanup-it";
        // Ten distinct images t1..t10 in the registry: the web v1 image committed with a label each.
        String source = TestServices.registry() + "/hoist/web:v1";
        boolean had = docker("image", "inspect", source).exitCode() == 0;
        dockerOk("pull", "-q", source);
        dockerOk("create", "--name", "hoist_cleanup_it_source", "--network", "none", source);
        // Podman 4.3's Docker API cannot commit for the docker CLI ("Decode(): EOF": it wants a body the CLI
        // does not send): there the container's files are exported once and imported with each label.
        boolean podman = "podman".equals(TestServices.engine());
        Path rootfs = tmp.resolve("source.tar");
        if (podman) {
            dockerOk("export", "-o", rootfs.toString(), "hoist_cleanup_it_source");
        }
        for (int i = 1; i <= UPDATES; i++) {
            if (podman) {
                dockerOk("import", "--change", "LABEL io.choria.hoist.test-cleanup=" + i,
                        "--change", "CMD [\"/bin/httpd\", \"-f\", \"-p\", \"127.0.0.1:8080\", \"-h\", \"/www\"]", rootfs.toString(), repo + ":t" + i);
            } else {
                dockerOk("commit", "--change", "LABEL io.choria.hoist.test-cleanup=" + i, "hoist_cleanup_it_source", repo + ":t" + i);
            }
            dockerOk("push", "-q", repo + ":t" + i);
            dockerOk("rmi", repo + ":t" + i);
        }
        dockerOk("rm", "hoist_cleanup_it_source");
        if (!had) {
            docker("rmi", source);
        }
        Path folder = Files.createDirectories(tmp.resolve("store/hoist_cleanit"));
        int port = TestServices.freePort();
        Map<String, String> env = Map.of("DOCKER_HOST", TestServices.dockerHost(), "HOIST_REGISTRY_AUTH", tmp.resolve("none.json").toString());
        List<String> counts = new ArrayList<>();
        for (int i = 1; i <= UPDATES; i++) {
            if (i == 5) {
                dockerOk("pull", "-q", repo + ":t5"); // the operator's pull: not Hoist's to remove
            }
            Files.writeString(folder.resolve("container.json"), "{" + TestServices.machineKeys() + "\"name\": \"cleanit\", \"image\": \"" + repo + "\", \"image_tag\": \"t" + i
                    + "\", \"network\": \"host\", \"stop_timeout\": 1, \"min_healthy_time\": \"0s\", \"keep_images\": " + KEEP + ","
                    + " \"command\": [\"httpd\", \"-f\", \"-p\", \"127.0.0.1:" + port + "\", \"-h\", \"/www\"]}");
            Result r = hoist(folder, env, "start", "cleanit");
            assertThat(r.exitCode()).as("start t" + i + ": " + r.err()).isZero();
            String tag = "t" + i;
            r.errLines().stream().filter(l -> l.contains("before cleanup")).forEach(l -> counts.add(tag + ": " + l));
            if (i == 2) {
                // An unrelated container (no Hoist labels) that uses t1, which Hoist pulled.
                dockerOk("create", "--name", UNRELATED, "--network", "none", repo + ":t1");
            }
        }
        counts.forEach(System.out::println);
        System.out.println("local tags of " + repo + " after " + UPDATES + " updates: " + localTags());
        assertThat(localTags()).containsExactlyInAnyOrder("t1", "t5", "t8", "t9", "t10");
        List<String> pulledByHoistAndUnused = localTags().stream().filter(t -> !t.equals("t1") && !t.equals("t5")).toList();
        assertThat(pulledByHoistAndUnused).hasSizeLessThanOrEqualTo(KEEP + 1);
        assertThat(counts).as("each cleanup said its counts").isNotEmpty();
        assertThat(counts.get(counts.size() - 1)).contains("6 before cleanup, 5 after (removed t7)");
    }
}
