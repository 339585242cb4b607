package io.choria.hoist.lifecycle;

import io.choria.hoist.rollout.RolloutPolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * What this node remembers about a container between hoist-cli runs, in the machine folder
 * ({@code hoist-state.json}): the last image that became healthy here, a tag that did not (so it
 * is not tried again until the desired tag changes), and consecutive failed starts (to back off).
 *
 * @param lastGood the last image that passed the health gate here, or null
 * @param failed the tag that last failed the health gate and was rolled back from, or null
 * @param startFailures consecutive failed starts of one reference, or null
 * @param lastFailure why the last start that failed here failed (with the container's last output), or null
 * @param canary the canary slot this node holds (or found taken) in the latest rollout it asked, or null
 */
public record NodeState(GoodImage lastGood, FailedTag failed, StartFailures startFailures, LastFailure lastFailure,
        RolloutPolicy.CanaryClaim canary) {
    public static final NodeState EMPTY = new NodeState(null, null, null, null, null);

    public NodeState(GoodImage lastGood, FailedTag failed, StartFailures startFailures) {
        this(lastGood, failed, startFailures, null, null);
    }

    public NodeState(GoodImage lastGood, FailedTag failed, StartFailures startFailures, LastFailure lastFailure) {
        this(lastGood, failed, startFailures, lastFailure, null);
    }

    /** This node asked for a canary slot of a rollout: what it got. */
    public NodeState claimed(RolloutPolicy.CanaryClaim claim) {
        return new NodeState(lastGood, failed, startFailures, lastFailure, claim);
    }

    /** The last failed start here: the reference, when, and why (for status's Last failure). */
    public record LastFailure(String ref, String at, String reason) {
    }

    /** A start of ref failed; why, as its error said. */
    public NodeState failedToStart(String ref, String reason, Instant now) {
        return new NodeState(lastGood, failed, startFailures, new LastFailure(ref, now.toString(), reason), canary);
    }
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    /** An image that became healthy here. */
    public record GoodImage(String image, String tag, String imageId, String at) {
    }

    /** A tag that never became healthy here. */
    public record FailedTag(String image, String tag, String at, String reason) {
    }

    /** Consecutive failed starts of {@code ref}; no new try before {@code retryAfter}. */
    public record StartFailures(String ref, int count, String retryAfter) {
        /**
         * True while a start of {@code ref} must wait. A retryAfter that cannot be read, or lies
         * further ahead than the longest back-off (a damaged file, a clock set back), is no reason to wait.
         */
        public boolean backingOff(String ref, Instant now) {
            if (this.ref == null || !this.ref.equals(ref) || retryAfter == null) {
                return false;
            }
            try {
                Instant until = Instant.parse(retryAfter);
                return now.isBefore(until) && !until.isAfter(now.plus(MAX_BACKOFF));
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }

    /** The last good tag, when it is a tag of {@code image}. */
    public String lastGoodTag(String image) {
        return lastGood != null && image != null && image.equals(lastGood.image()) ? lastGood.tag() : null;
    }

    /** The failed tag, when it is a tag of {@code image}. */
    public String failedTag(String image) {
        return failed != null && image != null && image.equals(failed.image()) ? failed.tag() : null;
    }

    /**
     * A start of image:tag passed the health gate. A rollback keeps the failed tag; anything else
     * means the desired tag moved on, so the failure is forgotten.
     */
    public NodeState started(String image, String tag, String imageId, boolean rollback, Instant now) {
        return new NodeState(new GoodImage(image, tag, imageId, now.toString()), rollback ? failed : null, null,
                rollback ? lastFailure : null, canary);
    }

    public NodeState rolledBackFrom(String image, String tag, String reason, Instant now) {
        return new NodeState(lastGood, new FailedTag(image, tag, now.toString(), reason), startFailures, lastFailure, canary);
    }

    /** One more failed start of ref: back off 30 s, doubling each time, at most 10 min. */
    public NodeState startFailed(String ref, Instant now) {
        int count = startFailures != null && ref != null && ref.equals(startFailures.ref())
                ? Math.max(1, startFailures.count()) + (startFailures.count() < Integer.MAX_VALUE ? 1 : 0) : 1;
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(count - 1, 10));
        if (wait.compareTo(MAX_BACKOFF) > 0) {
            wait = MAX_BACKOFF;
        }
        return new NodeState(lastGood, failed, new StartFailures(ref, count, now.plus(wait).toString()), lastFailure, canary);
    }
}
