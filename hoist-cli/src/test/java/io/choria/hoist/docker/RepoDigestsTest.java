package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** status's Digest: the registry digest of the running reference's own repository, never another's. */
class RepoDigestsTest {
    static final String A = "sha256:" + "a".repeat(64);
    static final String B = "sha256:" + "b".repeat(64);

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1:5000/hoist/web:v1, 127.0.0.1:5000/hoist/web",
            "127.0.0.1:5000/hoist/web, 127.0.0.1:5000/hoist/web",
            "127.0.0.1:5000/hoist/web@sha256:abc, 127.0.0.1:5000/hoist/web",
            "nginx:1.27, nginx",
            "docker.io/library/nginx:1.27, nginx",
            "docker.io/bitnami/redis:7, bitnami/redis",
            "registry.example:443/library/app:1, registry.example:443/library/app",
    })
    void the_repository_of_a_reference(String ref, String repo) {
        assertThat(RepoDigests.repository(ref)).isEqualTo(repo);
    }

    @Test
    void picks_the_running_references_repository_not_the_first_listed() {
        // Docker lists RepoDigests sorted: a repository named before Hoist's comes first.
        List<String> digests = List.of("127.0.0.1:5000/aaa/web@" + A, "127.0.0.1:5000/hoist/web@" + B);
        assertThat(RepoDigests.of(digests, "127.0.0.1:5000/hoist/web:v1")).contains("127.0.0.1:5000/hoist/web@" + B);
    }

    @Test
    void docker_hub_names_match_however_they_are_written() {
        assertThat(RepoDigests.of(List.of("nginx@" + A), "docker.io/library/nginx:1.27")).contains("nginx@" + A);
        assertThat(RepoDigests.of(List.of("docker.io/library/nginx@" + A), "nginx:1.27")).contains("docker.io/library/nginx@" + A);
    }

    @Test
    void none_of_its_repository_is_no_digest() {
        // An image built or imported here and never pulled from this repository has no digest to show.
        assertThat(RepoDigests.of(List.of("127.0.0.1:5000/other/web@" + A), "127.0.0.1:5000/hoist/web:v1")).isEmpty();
        assertThat(RepoDigests.of(List.of(), "127.0.0.1:5000/hoist/web:v1")).isEmpty();
        assertThat(RepoDigests.of(List.of("garbage"), "127.0.0.1:5000/hoist/web:v1")).isEmpty();
        assertThat(RepoDigests.of(List.of("127.0.0.1:5000/hoist/web@" + A), null)).isEmpty();
    }

    @Test
    void podmans_names_times_digests_prefer_the_digest_the_registry_answered() {
        // Podman 4.3 after pulling hoist/web:v1 (digest A) and pushing it as it/web:live with recompressed
        // layers (digest B): every name paired with every digest, so it/web@A was never served by it/web.
        List<String> digests = List.of("127.0.0.1:5000/it/web@" + A, "127.0.0.1:5000/it/web@" + B,
                "127.0.0.1:5000/hoist/web@" + A, "127.0.0.1:5000/hoist/web@" + B);
        String ref = "127.0.0.1:5000/it/web:live";
        assertThat(RepoDigests.all(digests, ref)).containsExactly("127.0.0.1:5000/it/web@" + A, "127.0.0.1:5000/it/web@" + B);
        assertThat(RepoDigests.preferring(digests, ref, B)).contains("127.0.0.1:5000/it/web@" + B);
        assertThat(RepoDigests.preferring(digests, ref, A)).contains("127.0.0.1:5000/it/web@" + A);
        assertThat(RepoDigests.preferring(digests, ref, "sha256:" + "c".repeat(64))).as("none answered: the first")
                .contains("127.0.0.1:5000/it/web@" + A);
        assertThat(RepoDigests.preferring(digests, ref, null)).contains("127.0.0.1:5000/it/web@" + A);
        assertThat(RepoDigests.preferring(List.of(), ref, B)).isEmpty();
    }
}
