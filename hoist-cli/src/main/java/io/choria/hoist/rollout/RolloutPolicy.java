package io.choria.hoist.rollout;

import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.Tags;
import io.choria.hoist.spec.WatcherData;
import java.util.Locale;
import java.util.Optional;

/**
 * Which tag a container should run, and what follows when it does not become healthy: the one place
 * that decides. {@code check}, {@code start}, {@code restart}, {@code update}, {@code status} and
 * {@code tag} ask it; they only gather its inputs ({@link Facts}) and act on its answers.
 *
 * <p>The desired tag ({@link #decide}), rule by rule:
 * <ol>
 * <li>Without {@code kv_update}, or when the KV key is not set (never written, deleted, or an empty
 *     value): the spec's {@code image_tag}.</li>
 * <li>A KV value that is a tag or digest (surrounding whitespace trimmed, as Choria's kv watcher
 *     does): that tag.</li>
 * <li>2a. Unless a rollout governs that tag ({@link RolloutRecord}, {@code KEY_rollout} beside the
 *     tag key): then in its canary phase only nodes holding a canary slot take it, while paused no
 *     node takes it that does not run it already, and promoted every node takes it
 *     ({@link Source#ROLLOUT} for those that keep the previous tag).</li>
 * <li>A KV value that is not ({@link KvValue#refusal()}): refused with a warning; the tag running now
 *     is kept, as it is (rule 4 does not apply: a bad value never takes a service down or rolls it
 *     back), else {@code image_tag}.</li>
 * <li>A tag from rule 1 or 2 that failed its health gate on this node, or a KV tag that the fleet's
 *     failure marker ({@link KvLocation#failedMarker()}) names: not tried; the last good tag, else
 *     the running one, stays until the desired tag changes ({@link Source#ROLLBACK}). With nothing
 *     else to run, the tag itself. This node's failure is named before the fleet's.</li>
 * </ol>
 * After a start ({@link #afterFailedStart}, {@link Decision#isRollback()}):
 * <ol start="5">
 * <li>A start that passes its health gate forgets the failed tag, unless it was a rollback.</li>
 * <li>A start that fails its health gate goes back to the last good tag, unless it was a rollback
 *     already, there is none, or it is that very tag; the failed tag is remembered on the node, and a
 *     KV tag is also written into the fleet's marker so that no other node tries it. When it is that
 *     very tag and the tag moved (a new digest of {@code latest}), the last good image is gone back
 *     to by its registry digest, if it is still here.</li>
 * </ol>
 * The operator ({@link #markerClearedByWrite}):
 * <ol start="7">
 * <li>A tag written with {@code hoist-cli tag} clears the fleet's marker: the fleet tries it afresh.
 *     (A node that failed that very tag itself still waits for the desired tag to change.)</li>
 * </ol>
 * And what is said ({@link Decision#warning()}, {@link Decision#checkWarning()}): a refused value is
 * news at every check; a rollback is said by {@code start}, {@code update} and {@code status}, not at
 * every check (it would fill hoist.log).
 *
 * <p>The KV's revision is not an input: no rule depends on it yet.
 */
public final class RolloutPolicy {
    private RolloutPolicy() {
    }

    /** Where the desired tag came from; its {@link #toString()} is what status shows ({@code kv}, ...). */
    public enum Source {
        /** A valid value in the KV (rule 2). */
        KV,
        /** The spec's {@code image_tag} (rule 1, or rule 3 with nothing running). */
        SPEC,
        /** The tag running now, kept because the KV value was refused (rule 3). */
        RUNNING,
        /** The last good (or running) tag, because the desired one failed (rule 4). */
        ROLLBACK,
        /** The previous tag, kept while a rollout of the KV's tag has not reached this node (rule 2a). */
        ROLLOUT;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What the decision rests on, as read: null when absent. The KV values come from the machine data
     * Choria's kv watchers keep ({@code check}, {@code update}); {@code start} reads them from the KV
     * itself when it can (the machine data may be a poll behind) and an operator's {@code status} too
     * (it has no machine data). The rest is this node's: its container and {@code hoist-state.json}.
     *
     * @param kvValue the value of the tag key (as read; validated here)
     * @param failedMarker the value of the fleet's failure marker beside it
     * @param runningTag the tag of the running container, when it runs the spec's image
     * @param failedTag the tag of the spec's image that failed its health gate on this node
     * @param lastGoodTag the last tag of the spec's image that passed its health gate on this node
     */
    public record Facts(String kvValue, String failedMarker, String runningTag, String failedTag, String lastGoodTag,
            String rolloutValue, CanaryClaim canary) {
        public Facts(String kvValue, String failedMarker, String runningTag, String failedTag, String lastGoodTag) {
            this(kvValue, failedMarker, runningTag, failedTag, lastGoodTag, null, null);
        }

        /** The KV facts from machine data (bucket_prefix false: the keys are the KV keys), and this node's. */
        public static Facts of(ContainerSpec spec, WatcherData data, String runningTag, String failedTag, String lastGoodTag) {
            return of(spec, data, runningTag, failedTag, lastGoodTag, null);
        }

        /** As above, with the canary slot this node claimed (or found taken) for a rollout, or null. */
        public static Facts of(ContainerSpec spec, WatcherData data, String runningTag, String failedTag, String lastGoodTag,
                CanaryClaim canary) {
            return new Facts(data.value(spec.kv().dataKey()).orElse(null), data.value(spec.kv().failedMarker().dataKey()).orElse(null),
                    runningTag, failedTag, lastGoodTag, data.value(RolloutRecord.location(spec.kv()).dataKey()).orElse(null), canary);
        }

        /** The rollout that governs the KV's tag now, if any ({@link RolloutRecord#appliesTo}). */
        public Optional<RolloutRecord> rollout() {
            // Every check of a kv_update container asks: the rules of io.choria.hoist.startup apply.
            Optional<RolloutRecord> r = RolloutRecord.parse(rolloutValue);
            return r.isPresent() && r.get().appliesTo(KvValue.of(kvValue).tag()) ? r : Optional.empty();
        }

        /** This node's slot in rollout {@code r}: positive when it is a canary, 0 when the slots were taken, null when not asked yet. */
        Integer slotIn(RolloutRecord r) {
            return canary != null && r.id().equals(canary.rollout()) ? canary.slot() : null;
        }
    }

    /**
     * What a node learnt when it asked for a canary slot of a rollout: the slot it holds (1..N), or 0
     * when every slot was taken by other nodes. Kept on the node ({@code hoist-state.json}).
     */
    public record CanaryClaim(String rollout, int slot) {
    }

    /**
     * Whether this node must ask the KV for a canary slot before {@link #decide} can say its tag: a
     * rollout in its canary phase governs the tag, and this node has not asked for a slot of it yet.
     * Only commands that reach the KV (start, update) ask; until then the node keeps the previous tag.
     */
    public static Optional<RolloutRecord> needsCanaryClaim(ContainerSpec spec, Facts facts) {
        if (!spec.kvUpdate()) {
            return Optional.empty();
        }
        Optional<RolloutRecord> r = facts.rollout();
        return r.isPresent() && r.get().phase() == RolloutRecord.Phase.CANARY && facts.slotIn(r.get()) == null ? r : Optional.empty();
    }

    /**
     * The tag to run and why.
     *
     * @param tag the tag or digest to run
     * @param source which rule gave it
     * @param reason why, in words, always set
     * @param warning set when a KV value was refused or a tag is not tried: one stderr line
     */
    public record Decision(String tag, Source source, String reason, String warning) {
        /** A rollback: a start of it keeps the failed tag remembered (rule 5). */
        public boolean isRollback() {
            return source == Source.ROLLBACK;
        }

        /** What check says at each run: a refused value, not a rollback (that would fill hoist.log). */
        public Optional<String> checkWarning() {
            return isRollback() ? Optional.empty() : Optional.ofNullable(warning);
        }
    }

    /**
     * A KV value as read: not set (null, empty or blank), a tag (trimmed), or refused.
     *
     * @param tag the valid tag, or null
     * @param refusal why the value is not a tag (for one stderr line), or null
     */
    public record KvValue(String tag, String refusal) {
        public static KvValue of(String raw) {
            String v = raw == null ? "" : raw.trim();
            if (v.isEmpty()) {
                return new KvValue(null, null);
            }
            return Tags.isValid(v) ? new KvValue(v, null) : new KvValue(null, Tags.whyInvalid(v));
        }

        public boolean isSet() {
            return tag != null || refusal != null;
        }
    }

    /** Rules 1 to 4. */
    public static Decision decide(ContainerSpec spec, Facts facts) {
        Decision base = fromKv(spec, facts);
        if (base.source() == Source.RUNNING) {
            return base;
        }
        String why;
        if (base.tag().equals(facts.failedTag())) {
            why = "failed to become healthy on this node";
        } else if (base.source() == Source.KV && base.tag().equals(KvValue.of(facts.failedMarker()).tag())) {
            why = "is marked failed in " + spec.kv().failedMarker() + " by another node";
        } else {
            return base;
        }
        String fallback = facts.lastGoodTag() != null ? facts.lastGoodTag() : facts.runningTag();
        if (fallback == null || fallback.equals(base.tag())) {
            return new Decision(base.tag(), base.source(), base.reason() + "; it " + why + ", but there is no other tag to run", null);
        }
        String warning = "tag " + base.tag() + " " + why + "; staying on " + fallback + " until the desired tag changes";
        return new Decision(fallback, Source.ROLLBACK, warning, warning);
    }

    /** Rules 1 to 3, and 2a. */
    private static Decision fromKv(ContainerSpec spec, Facts facts) {
        if (!spec.kvUpdate()) {
            return new Decision(spec.imageTag(), Source.SPEC, "image_tag (kv_update is off)", null);
        }
        KvValue v = KvValue.of(facts.kvValue());
        if (v.tag() != null) {
            Optional<RolloutRecord> r = facts.rollout();
            if (r.isPresent()) {
                return inRollout(spec, facts, r.get());
            }
            return new Decision(v.tag(), Source.KV, spec.kv() + " holds " + v.tag(), null);
        }
        if (!v.isSet()) {
            return new Decision(spec.imageTag(), Source.SPEC, spec.kv() + " is not set, so image_tag applies", null);
        }
        String warning = "ignoring the KV value of " + spec.kv() + ": " + v.refusal();
        if (facts.runningTag() != null) {
            warning += "; keeping the running tag " + facts.runningTag();
            return new Decision(facts.runningTag(), Source.RUNNING, warning, warning);
        }
        warning += "; using image_tag " + spec.imageTag();
        return new Decision(spec.imageTag(), Source.SPEC, warning, warning);
    }

    /**
     * Rule 2a: the KV's tag is governed by a rollout ({@link RolloutRecord}). Canary phase: a node
     * holding a canary slot takes the tag, the others keep the previous tag (also while they have not
     * asked for a slot). Paused: a node keeps the tag it runs (the new or the previous one), taking
     * neither. Promoted (or started without canaries): every node takes the tag, as by rule 2.
     */
    private static Decision inRollout(ContainerSpec spec, Facts facts, RolloutRecord r) {
        String previous = r.previous(spec.imageTag());
        String name = "rollout " + r.id() + " of " + r.tag();
        switch (r.phase()) {
            case PAUSED -> {
                String keep = r.tag().equals(facts.runningTag()) ? r.tag() : previous;
                return new Decision(keep, keep.equals(r.tag()) ? Source.KV : Source.ROLLOUT,
                        name + " is paused; this node stays on " + keep, null);
            }
            case CANARY -> {
                Integer slot = facts.slotIn(r);
                if (slot != null && slot > 0) {
                    return new Decision(r.tag(), Source.KV, name + ": this node holds canary slot " + slot + " of " + r.canary(), null);
                }
                return new Decision(previous, Source.ROLLOUT, name + ": " + (slot == null ? "this node has not asked for a canary slot yet"
                        : "the " + r.canary() + " canary slot" + (r.canary() == 1 ? " is" : "s are") + " taken") + "; staying on " + previous
                        + " until it is promoted", null);
            }
            default -> {
                return new Decision(r.tag(), Source.KV, spec.kv() + " holds " + r.tag() + " (" + name + ", promoted)", null);
            }
        }
    }

    /**
     * Where a start goes after the decided tag failed its health gate (rule 6): empty when it stops
     * there (and backs off).
     *
     * @param lastGoodTag the last good tag of the spec's image on this node, or null
     */
    public static Optional<Rollback> afterFailedStart(Decision failed, String lastGoodTag) {
        if (failed.isRollback() || lastGoodTag == null || lastGoodTag.equals(failed.tag())) {
            return Optional.empty();
        }
        return Optional.of(new Rollback(lastGoodTag, failed.source() == Source.KV));
    }

    /**
     * Rule 6 for a tag that moved (a mutable tag such as {@code latest}, followed by
     * {@code image_poll}): when the failed tag is the last good tag itself, the last good image is
     * gone back to by its registry digest ({@code lastGoodDigest}, {@code sha256:...}), when this
     * node still has it and it is not the image that failed. The node then stays on that digest
     * (rule 4: the tag failed here) until the desired tag changes.
     *
     * @param lastGoodDigest the registry digest of the last good image, when it is still present and
     *     differs from the failed one; else null
     */
    public static Optional<Rollback> afterFailedStart(Decision failed, String lastGoodTag, String lastGoodDigest) {
        Optional<Rollback> back = afterFailedStart(failed, lastGoodTag);
        if (back.isPresent() || failed.isRollback() || lastGoodTag == null || !lastGoodTag.equals(failed.tag())
                || !Tags.isDigest(lastGoodDigest) || lastGoodDigest.equals(failed.tag())) {
            return back;
        }
        return Optional.of(new Rollback(lastGoodDigest, false));
    }

    /**
     * A start that failed goes back to a tag.
     *
     * @param tag the tag to go back to
     * @param markFleet whether the failed tag came from the KV and is to be marked there for the fleet
     */
    public record Rollback(String tag, boolean markFleet) {
    }

    /** Rule 7: the marker an operator's write of the tag at {@code written} clears. */
    public static KvLocation markerClearedByWrite(KvLocation written) {
        return written.failedMarker();
    }

    /**
     * What applies while the KV has no valid value, in words for the tag command's messages:
     * {@code image_tag v1}, or without a spec at hand {@code the spec's image_tag}.
     */
    public static String withoutKvValue(Optional<ContainerSpec> spec) {
        return spec.isPresent() ? "image_tag " + spec.get().imageTag() : "the spec's image_tag";
    }

    /** Rule 3 in words, for the tag command: what the machine does with a refused value. */
    public static String onRefusedValue(Optional<ContainerSpec> spec) {
        return "keeps the running tag or " + withoutKvValue(spec);
    }
}
