package io.choria.hoist.lifecycle;

import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.docker.RepoDigests;
import io.choria.hoist.registry.RegistryClient;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.Tags;
import io.choria.hoist.spec.WatcherData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Digest-following updates ({@code image_poll}): is the desired tag's digest in the registry the
 * one this node has? Asks the registry with a {@code HEAD} of the manifest ({@link RegistryClient}),
 * not a pull. A new digest is pulled once this node first saw it at least {@code min_image_age}
 * ago (the ledger remembers when; a digest is "seen" at the first poll that finds it). The check
 * then finds the container running another image than the tag's, and the usual remediation
 * replaces it ({@code restart_governor}, health gate, rollback).
 */
public final class ImagePoll {
    private final Engine engine;
    private final RegistryClient registry;
    private final Lifecycle lifecycle;
    private final ImageLedger ledger;
    private final Clock clock;

    public ImagePoll(Engine engine, RegistryClient registry, Lifecycle lifecycle, ImageLedger ledger, Clock clock) {
        this.engine = engine;
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** What a poll found (and, unless a dry run, did). */
    public enum Outcome {
        /** The desired tag is a digest: nothing moves. */
        PINNED,
        /** The local image of the tag has the registry's digest. */
        CURRENT,
        /** A new digest, seen here less than min_image_age ago: not taken yet. */
        TOO_YOUNG,
        /** A new digest that is old enough: pulled (a dry run only says it would be). */
        NEW
    }

    /**
     * @param ref the desired reference
     * @param running the registry digest of the image the container runs, or null
     * @param local the registry digest of the tag's local image, or null
     * @param remote the digest the tag points to in the registry, or null when pinned
     * @param ageSeconds how long ago this node first saw {@code remote}, or -1 when it is not new
     * @param replace whether the container does not run the tag's local image (after a pull, if any)
     */
    public record Verdict(String ref, Outcome outcome, String running, String local, String remote, long ageSeconds,
            long minAgeSeconds, boolean replace) {
        /** The lines {@code update --dry-run} prints. */
        public String describe(String containerName) {
            StringBuilder sb = new StringBuilder();
            sb.append(containerName).append(": ").append(ref).append('\n');
            sb.append("  running:  ").append(or(running)).append('\n');
            sb.append("  local:    ").append(or(local)).append('\n');
            sb.append("  registry: ").append(outcome == Outcome.PINNED ? "(pinned by digest: not asked)" : or(remote)).append('\n');
            if (ageSeconds >= 0) {
                sb.append("  age:      first seen by this node ").append(ageSeconds).append("s ago (min_image_age ")
                        .append(minAgeSeconds).append("s)\n");
            }
            sb.append("  verdict:  ").append(switch (outcome) {
                case PINNED -> "pinned; nothing to pull";
                case CURRENT -> replace ? "the local image is current; the container runs another and would be replaced"
                        : "up to date";
                case TOO_YOUNG -> "new digest, younger than min_image_age: not taken yet";
                case NEW -> "would pull " + ref + " (" + remote + ") and replace the container";
            });
            return sb.toString();
        }

        private static String or(String s) {
            return s == null ? "(none)" : s;
        }
    }

    public Verdict poll(ContainerSpec spec, WatcherData data, NodeState state, boolean dryRun) {
        Optional<ManagedContainer> current = engine.find(spec.name());
        RolloutPolicy.Decision d = lifecycle.desired(spec, data, current, state);
        String ref = spec.imageRef(d.tag());
        Optional<String> localId = engine.imageId(ref);
        long minAge = spec.images().minAgeSeconds();
        if (Tags.isDigest(d.tag())) {
            return new Verdict(ref, Outcome.PINNED, current.flatMap(c -> digestOf(c.imageId(), ref, null)).orElse(null),
                    localId.flatMap(id -> digestOf(id, ref, null)).orElse(null), null, -1, minAge, replace(current, localId));
        }
        String remote = registry.digest(spec.image(), d.tag());
        String running = current.flatMap(c -> digestOf(c.imageId(), ref, remote)).orElse(null);
        String local = localId.flatMap(id -> digestOf(id, ref, remote)).orElse(null);
        if (remote.equals(local)) {
            return new Verdict(ref, Outcome.CURRENT, running, local, remote, -1, minAge, replace(current, localId));
        }
        Instant now = clock.instant();
        ImageLedger.Seen seen = ledger.seen();
        Instant first = now;
        if (seen != null && seen.ref().equals(ref) && seen.digest().equals(remote)) {
            try {
                Instant at = Instant.parse(seen.firstSeen());
                first = at.isAfter(now) ? now : at;
            } catch (DateTimeParseException e) {
                first = now;
            }
        }
        long age = Duration.between(first, now).toSeconds();
        if (!dryRun) {
            ledger.seen(new ImageLedger.Seen(ref, remote, first.toString()));
        }
        if (age < minAge) {
            if (!dryRun) {
                saveQuietly();
            }
            return new Verdict(ref, Outcome.TOO_YOUNG, running, local, remote, age, minAge, replace(current, localId));
        }
        if (dryRun) {
            return new Verdict(ref, Outcome.NEW, running, local, remote, age, minAge, true);
        }
        lifecycle.pull(spec, ref);
        saveQuietly();
        Optional<String> pulledId = engine.imageId(ref);
        String nowLocal = pulledId.flatMap(id -> digestOf(id, ref, remote)).orElse(null);
        return new Verdict(ref, Outcome.NEW, running, nowLocal, remote, age, minAge, replace(current, pulledId));
    }

    private void saveQuietly() {
        ledger.save();
    }

    private static boolean replace(Optional<ManagedContainer> current, Optional<String> localId) {
        return current.isPresent() && localId.isPresent() && !localId.get().equals(current.get().imageId());
    }

    /**
     * The registry digest ({@code sha256:...}) of a local image for the reference's repository: {@code remote}
     * when the image is known by it (Podman may list several for one repository: {@link RepoDigests}).
     */
    private Optional<String> digestOf(String imageId, String ref, String remote) {
        return RepoDigests.preferring(engine.repoDigests(imageId), ref, remote).map(d -> d.substring(d.indexOf('@') + 1));
    }
}
