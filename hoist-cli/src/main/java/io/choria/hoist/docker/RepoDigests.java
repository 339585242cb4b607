package io.choria.hoist.docker;

import java.util.List;
import java.util.Optional;

/**
 * Which of an image's registry digests belongs to the reference a container runs. An image pulled
 * or pushed under several repositories has one {@code REPO@sha256:...} per repository (Docker lists
 * them sorted), and they differ in the repository and, under the containerd image store or for a
 * multi-platform image, may differ in the digest too: only the one of the running reference's own
 * repository says what a node pulls.
 *
 * <p>Podman lists every pairing of the image's names with every manifest digest it knows the image
 * by (its {@code RepoDigests} are names x digests): an image pushed to a second repository with
 * recompressed layers, or pulled from two repositories under different manifests, lists digests for
 * a repository that this repository never served. Docker lists one per repository. So a repository
 * may have several candidates here: {@link #all} lists them, and {@link #preferring} picks the one
 * a registry answered, when it is among them.
 */
public final class RepoDigests {
    private RepoDigests() {
    }

    /** The repository of a reference: {@code reg:5000/a/web:v1} and {@code reg:5000/a/web@sha256:..} are {@code reg:5000/a/web}. */
    static String repository(String ref) {
        String r = ref;
        int at = r.indexOf('@');
        if (at >= 0) {
            r = r.substring(0, at);
        }
        int colon = r.lastIndexOf(':');
        if (colon > r.lastIndexOf('/')) {
            r = r.substring(0, colon);
        }
        return familiar(r);
    }

    /** Docker Hub's long names as Docker shows them: {@code docker.io/library/nginx} is {@code nginx}. */
    private static String familiar(String repo) {
        String r = repo;
        for (String prefix : new String[] {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
            if (r.startsWith(prefix)) {
                r = r.substring(prefix.length());
                break;
            }
        }
        return r.startsWith("library/") && r.indexOf('/', "library/".length()) < 0 ? r.substring("library/".length()) : r;
    }

    /** The {@code REPO@sha256:...} of {@code repoDigests} whose repository is the one of {@code ref}, if any (the first, when several). */
    public static Optional<String> of(List<String> repoDigests, String ref) {
        return all(repoDigests, ref).stream().findFirst();
    }

    /** Every {@code REPO@sha256:...} of {@code repoDigests} whose repository is the one of {@code ref}, in their order. */
    public static List<String> all(List<String> repoDigests, String ref) {
        if (ref == null || repoDigests == null) {
            return List.of();
        }
        String repo = repository(ref);
        return repoDigests.stream().filter(d -> d.indexOf('@') > 0 && repository(d).equals(repo)).toList();
    }

    /**
     * As {@link #of}, but when one of the candidates has the digest {@code digest} ({@code sha256:...},
     * what the registry answered for the reference), that one: on Podman the first may be a pairing
     * the registry never served.
     */
    public static Optional<String> preferring(List<String> repoDigests, String ref, String digest) {
        List<String> all = all(repoDigests, ref);
        return all.stream().filter(d -> digest != null && d.endsWith("@" + digest)).findFirst().or(() -> all.stream().findFirst());
    }
}
