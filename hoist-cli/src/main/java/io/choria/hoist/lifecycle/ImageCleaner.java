package io.choria.hoist.lifecycle;

import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.Engine.LocalImage;
import io.choria.hoist.spec.ContainerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Image cleanup after a successful start (Watchtower's {@code --cleanup}, bounded): of the images
 * of the container's repository, removes those hoist-cli pulled for this container (its
 * {@link ImageLedger}) that no container uses, keeping the running image, the last good one (a
 * rollback needs it) and the {@code keep_images} most recently pulled others. An image hoist-cli
 * did not pull for this container, or that any container uses (Hoist's or not, running or not), is
 * never touched; only this repository's tags are removed, so an image that is also tagged in another
 * repository stays, under that tag.
 */
public final class ImageCleaner {
    private final Engine engine;

    public ImageCleaner(Engine engine) {
        this.engine = engine;
    }

    /** What a cleanup did: the repository's images before and after, and the tags it removed. */
    public record Result(String repository, int before, int after, List<String> removed) {
        @Override
        public String toString() {
            return "images of " + repository + " on this node: " + before + " before cleanup, " + after + " after"
                    + (removed.isEmpty() ? "" : " (removed " + String.join(", ", removed) + ")");
        }
    }

    /**
     * @param running the image id the container runs now
     * @param lastGood the image id of the last good start, or null
     */
    public Result clean(ContainerSpec spec, String running, String lastGood, ImageLedger ledger) {
        String repo = spec.image();
        List<LocalImage> all = engine.images();
        Map<String, LocalImage> ours = new HashMap<>();
        Set<String> present = new HashSet<>();
        for (LocalImage i : all) {
            present.add(i.id());
            if (ofRepository(i, repo)) {
                ours.put(i.id(), i);
            }
        }
        int before = ours.size();
        ledger.retain(present);
        Set<String> inUse = engine.imageIdsInUse();
        // Newest pull first: the first keep_images candidates stay.
        LinkedHashSet<String> candidates = new LinkedHashSet<>();
        List<ImageLedger.Pulled> pulled = new ArrayList<>(ledger.pulled());
        for (int i = pulled.size() - 1; i >= 0; i--) {
            String id = pulled.get(i).id();
            if (ours.containsKey(id) && !id.equals(running) && !id.equals(lastGood) && !inUse.contains(id)) {
                candidates.add(id);
            }
        }
        List<String> removed = new ArrayList<>();
        int kept = 0;
        for (String id : candidates) {
            if (kept < spec.images().keepImages()) {
                kept++;
                continue;
            }
            LocalImage image = ours.get(id);
            List<String> tags = image.repoTags().stream().filter(t -> repository(t).equals(repo)).toList();
            boolean otherTags = image.repoTags().stream().anyMatch(t -> !repository(t).equals(repo) && !t.startsWith("<none>"));
            if (tags.isEmpty() && !otherTags) {
                // Untagged (its tag moved to a newer digest): only its id, or this repository's digests, name it.
                if (engine.removeImage(id)) {
                    removed.add(shortId(id));
                }
                continue;
            }
            for (String t : tags) {
                if (engine.removeImage(t)) {
                    removed.add(t.substring(t.lastIndexOf(':') + 1));
                }
            }
        }
        int after = 0;
        Set<String> left = new HashSet<>();
        for (LocalImage i : engine.images()) {
            left.add(i.id());
            if (ofRepository(i, repo)) {
                after++;
            }
        }
        ledger.retain(left);
        return new Result(repo, before, after, removed);
    }

    /** Whether a local image is one of the repository's: a tag or digest of it. */
    static boolean ofRepository(LocalImage i, String repo) {
        return i.repoTags().stream().anyMatch(t -> repository(t).equals(repo))
                || i.repoDigests().stream().anyMatch(d -> repository(d).equals(repo));
    }

    /** {@code reg:5000/a/web:v1} and {@code reg:5000/a/web@sha256:..} are {@code reg:5000/a/web}. */
    static String repository(String ref) {
        String r = ref;
        int at = r.indexOf('@');
        if (at >= 0) {
            return r.substring(0, at);
        }
        int colon = r.lastIndexOf(':');
        return colon > r.lastIndexOf('/') ? r.substring(0, colon) : r;
    }

    private static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }

}
