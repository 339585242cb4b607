package io.choria.hoist.rollout;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * What an operator's {@code hoist-cli rollout} does to the KV: start, promote, pause, resume, abort,
 * and read the fleet's state ({@link FleetView}). The nodes act on what it writes (rule 2a of
 * {@link RolloutPolicy}); nothing else coordinates them. Changes to a rollout are compare-and-set on
 * its revision, so two operators cannot undo each other's promote and abort unseen.
 */
public final class RolloutService {
    /** The status bucket nodes report into (see {@code StatusReporter}). */
    public static final String STATUS_BUCKET = "HOIST_STATUS";

    private final TagStore kv;
    private final Clock clock;
    private final Consumer<String> say;

    public RolloutService(TagStore kv, Clock clock, Consumer<String> say) {
        this.kv = kv;
        this.clock = clock;
        this.say = say;
    }

    /** The rollout at the tag key and its revision, if there is one. */
    public record Current(RolloutRecord record, long revision) {
    }

    public Optional<Current> current(KvLocation tagKey) {
        Optional<TagEntry> e = kv.get(RolloutRecord.location(tagKey));
        return e.flatMap(x -> RolloutRecord.parse(x.value()).map(r -> new Current(r, x.revision())));
    }

    /**
     * Starts rolling TAG out: writes the rollout, clears the failure marker (as a tag write does,
     * rule 7), then the tag itself, which the nodes' kv watchers see.
     */
    public RolloutRecord start(KvLocation tagKey, String tag, int canary, Duration deadline, boolean autoRevert) {
        if (!Tags.isValid(tag)) {
            throw HoistException.badInput("refusing to roll out: " + Tags.whyInvalid(tag));
        }
        if (canary < 0) {
            throw HoistException.badInput("--canary must not be negative, got " + canary);
        }
        Optional<TagEntry> now = kv.get(tagKey);
        String from = now.map(TagEntry::value).map(String::trim).filter(Tags::isValid).orElse(null);
        Optional<Current> running = current(tagKey);
        if (running.isPresent() && running.get().record().appliesTo(from) && tag.equals(from)) {
            throw HoistException.badInput("a rollout of " + tag + " is under way already (rollout " + running.get().record().id()
                    + "); see rollout status, or abort it first");
        }
        if (tag.equals(from) && running.isPresent() && running.get().record().appliesTo(from)) {
            from = running.get().record().from();
        }
        String id = Long.toString(clock.millis(), 36);
        Instant t = clock.instant();
        RolloutRecord r = new RolloutRecord(id, tag, from, canary, false, false, false,
                deadline == null ? null : t.plus(deadline).toString(), autoRevert, t.toString(), null);
        kv.put(RolloutRecord.location(tagKey), r.toJson());
        KvLocation marker = RolloutPolicy.markerClearedByWrite(tagKey);
        if (kv.get(marker).isPresent()) {
            kv.delete(marker);
            say.accept("cleared the failure marker " + marker);
        }
        kv.put(tagKey, tag);
        return r;
    }

    /** Promote, pause or resume: the rollout that governs the tag now, changed by {@code change}. */
    public RolloutRecord change(KvLocation tagKey, String what, UnaryOperator<RolloutRecord> change) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Current c = governing(tagKey, what);
            RolloutRecord next = change.apply(c.record());
            if (kv.update(RolloutRecord.location(tagKey), next.toJson(), c.revision())) {
                return next;
            }
        }
        throw new HoistException(ExitCode.BUSY, "cannot " + what + ": the rollout keeps changing under us; try again");
    }

    /** Abort: the tag goes back to the previous one (deleted when there was none: image_tag applies) and the rollout says so. */
    public RolloutRecord abort(KvLocation tagKey, String why) {
        RolloutRecord r = change(tagKey, "abort", x -> x.abort(why));
        if (r.from() != null) {
            kv.put(tagKey, r.from());
        } else {
            kv.delete(tagKey);
        }
        return r;
    }

    private Current governing(KvLocation tagKey, String what) {
        String tag = kv.get(tagKey).map(TagEntry::value).map(String::trim).orElse(null);
        Optional<Current> c = current(tagKey);
        if (c.isEmpty() || !c.get().record().appliesTo(tag)) {
            throw new HoistException(ExitCode.NOT_RUNNING, "no rollout to " + what + " at " + tagKey + " (its tag is "
                    + (tag == null ? "not set" : tag) + (c.isPresent() ? "; the last rollout, of " + c.get().record().tag() + ", "
                    + (c.get().record().aborted() ? "was aborted" : "was superseded by a plain write of the tag") : "") + ")");
        }
        return c.get();
    }

    /**
     * The fleet as it stands. A rollout past its deadline that has not converged is marked failed
     * here, once, and aborted when it asked for that ({@code --auto-revert}): any operator's status or
     * watch enforces it; no daemon does.
     */
    public FleetView view(String container, KvLocation tagKey) {
        String target = kv.get(tagKey).map(TagEntry::value).map(String::trim).filter(Tags::isValid).orElse(null);
        String marker = kv.get(tagKey.failedMarker()).map(TagEntry::value).map(String::trim).orElse(null);
        Optional<Current> c = current(tagKey);
        Optional<RolloutRecord> record = c.map(Current::record).filter(r -> r.appliesTo(target) || r.aborted() && r.previous(null) != null
                && r.previous(null).equals(target));
        List<NodeReport> nodes = reports(container);
        FleetView v = FleetView.of(container, target, marker, record, nodes, clock.instant());
        if (v.verdict() == FleetView.Verdict.FAILED && v.rollout() != null && v.rollout().outcome() == null && !target.equals(marker)) {
            String why = "deadline " + v.rollout().deadline() + " passed with " + v.done() + " of " + v.wanted() + " nodes healthy on " + target;
            if (v.rollout().autoRevert()) {
                abort(tagKey, why + "; reverted (--auto-revert)");
                say.accept("rollout " + v.rollout().id() + " failed: " + why + "; aborted it (--auto-revert)");
            } else {
                change(tagKey, "mark failed", x -> x.withOutcome(why));
                say.accept("rollout " + v.rollout().id() + " failed: " + why);
            }
            return view(container, tagKey);
        }
        return v;
    }

    /** Every node's report of the container; none when the status bucket does not exist yet. */
    public List<NodeReport> reports(String container) {
        try {
            List<NodeReport> out = new ArrayList<>();
            for (TagEntry e : kv.entries(STATUS_BUCKET, container + ".>").values()) {
                NodeReport.parse(e.value()).filter(r -> container.equals(r.container())).ifPresent(out::add);
            }
            return out;
        } catch (BucketMissingException e) {
            return List.of();
        }
    }
}
