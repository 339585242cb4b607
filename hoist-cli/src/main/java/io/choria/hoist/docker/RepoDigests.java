package io.choria.hoist.docker;

import java.util.List;
import java.util.Optional;

/**
 * Which of an image's registry digests belongs to the reference a container runs. An image pulled
 * or pushed under several repositories has one {@code REPO@sha256:...} per repository (Docker lists
 * them sorted), and they differ in the repository and, under the containerd image store or for a
 * multi-platform image, may differ in the digest too: only the one of the running reference's own
 * repository says what a node pulls.
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

    /** The {@code REPO@sha256:...} of {@code repoDigests} whose repository is the one of {@code ref}, if any. */
    public static Optional<String> of(List<String> repoDigests, String ref) {
        if (ref == null || repoDigests == null) {
            return Optional.empty();
        }
        String repo = repository(ref);
        return repoDigests.stream().filter(d -> d.indexOf('@') > 0 && repository(d).equals(repo)).findFirst();
    }
}
