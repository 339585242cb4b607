package io.choria.hoist.rollout;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.choria.hoist.startup.LeanJson;
import java.util.Objects;
import java.util.Optional;

/**
 * What one node says about one container, in the status bucket ({@code HOIST_STATUS}, key
 * {@code NAME.IDENTITY}): written by hoist-cli on the node after a start, update or rollback, and
 * after a check when it differs from what was written last (or that is getting old); read by
 * {@code hoist-cli rollout status}.
 *
 * @param identity the node (its Choria identity, {@code HOIST_IDENTITY})
 * @param container the Hoist container name
 * @param tag the tag the container runs, or null when none runs
 * @param digest the image id it runs, or null
 * @param desired the tag the rollout policy wants here
 * @param healthy whether the last check or start found it running as desired and healthy
 * @param since when it became healthy on this tag (RFC 3339), or null
 * @param state the machine state the command ran in (RUN, REMEDIATE, UPDATE, ...), or null when an operator ran it
 * @param lastGood the last tag that passed the health gate here, or null
 * @param failed the tag that failed here and was rolled back from, or null
 * @param error the last error line (a failed check or start), or null
 * @param rollout the id of the rollout whose canary slot this node asked for, or null
 * @param canarySlot its slot in that rollout (0: the slots were taken), or null
 * @param at when it was written (RFC 3339)
 */
public record NodeReport(String identity, String container, String tag, String digest, String desired, boolean healthy,
        String since, String state, String lastGood, String failed, String error, String rollout, Integer canarySlot, String at) {

    /** The longest error line kept. */
    public static final int MAX_ERROR = 300;

    /**
     * The same report, written at another time: what decides whether it is news. Field by field, not
     * the record's equals, whose invokedynamic bootstrap a check would pay at every run.
     */
    public boolean sameAs(NodeReport o) {
        return o != null && Objects.equals(identity, o.identity) && Objects.equals(container, o.container)
                && Objects.equals(tag, o.tag) && Objects.equals(digest, o.digest) && Objects.equals(desired, o.desired)
                && healthy == o.healthy && Objects.equals(since, o.since) && Objects.equals(state, o.state)
                && Objects.equals(lastGood, o.lastGood) && Objects.equals(failed, o.failed) && Objects.equals(error, o.error)
                && Objects.equals(rollout, o.rollout) && Objects.equals(canarySlot, o.canarySlot);
    }

    public NodeReport withAt(String when) {
        return new NodeReport(identity, container, tag, digest, desired, healthy, since, state, lastGood, failed, error, rollout,
                canarySlot, when);
    }

    public NodeReport withIdentity(String who) {
        return new NodeReport(who, container, tag, digest, desired, healthy, since, state, lastGood, failed, error, rollout,
                canarySlot, at);
    }

    public NodeReport withSince(String when) {
        return new NodeReport(identity, container, tag, digest, desired, healthy, when, state, lastGood, failed, error, rollout,
                canarySlot, at);
    }

    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("identity", identity);
        o.addProperty("container", container);
        o.addProperty("tag", tag);
        o.addProperty("digest", digest);
        o.addProperty("desired", desired);
        o.addProperty("healthy", healthy);
        o.addProperty("since", since);
        o.addProperty("state", state);
        o.addProperty("last_good", lastGood);
        o.addProperty("failed", failed);
        o.addProperty("error", error);
        o.addProperty("rollout", rollout);
        o.addProperty("canary_slot", canarySlot);
        o.addProperty("at", at);
        return new GsonBuilder().serializeNulls().create().toJson(o);
    }

    /** A report as written; empty when TEXT is not one. */
    public static Optional<NodeReport> parse(String text) {
        try {
            JsonElement e = LeanJson.parseOrGson(text);
            if (!e.isJsonObject()) {
                return Optional.empty();
            }
            JsonObject o = e.getAsJsonObject();
            if (str(o, "identity") == null || str(o, "container") == null) {
                return Optional.empty();
            }
            JsonElement slot = o.get("canary_slot");
            return Optional.of(new NodeReport(str(o, "identity"), str(o, "container"), str(o, "tag"), str(o, "digest"), str(o, "desired"),
                    o.has("healthy") && o.get("healthy").isJsonPrimitive() && o.get("healthy").getAsBoolean(), str(o, "since"),
                    str(o, "state"), str(o, "last_good"), str(o, "failed"), str(o, "error"), str(o, "rollout"),
                    slot == null || slot.isJsonNull() ? null : slot.getAsInt(), str(o, "at")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? null : e.getAsString();
    }
}
