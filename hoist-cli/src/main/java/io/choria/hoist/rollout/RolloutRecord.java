package io.choria.hoist.rollout;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.Tags;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A rollout an operator started with {@code hoist-cli rollout start}: kept as JSON in the tag's bucket,
 * at the tag key with {@code _rollout} appended ({@link #location}), where Choria's kv watcher
 * {@code rollout} hands it to every node's machine. It applies while the tag key holds {@link #tag}:
 * a plain write of the tag (the seed's {@code choria kv put}, {@code hoist-cli tag}) supersedes it.
 *
 * @param id this rollout's id: canary slots are claimed under it
 * @param tag the tag rolled out
 * @param from the tag the fleet ran before (what an abort returns to), or null for the spec's image_tag
 * @param canary how many nodes take the tag before it is promoted; 0: every node, under the governor
 * @param promoted the operator promoted the canaries: every node takes the tag
 * @param paused no node takes the tag now; those that have keep it
 * @param aborted the tag went back to {@link #from}
 * @param deadline when the rollout must have converged (RFC 3339), or null
 * @param autoRevert abort when the deadline passes before the rollout converged
 * @param started when the rollout started (RFC 3339)
 * @param outcome why it ended early ("aborted by the operator", "deadline passed ..."), or null
 */
public record RolloutRecord(String id, String tag, String from, int canary, boolean promoted, boolean paused, boolean aborted,
        String deadline, boolean autoRevert, String started, String outcome) {

    /** What a rollout is doing, for status and for the nodes. */
    public enum Phase {
        /** Only the canaries take the tag. */
        CANARY,
        /** Every node takes it, one governor slot at a time. */
        ROLLING,
        /** No node takes it now. */
        PAUSED,
        /** Everyone goes back to the previous tag. */
        ABORTED;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the rollout of the tag at {@code tagKey} is kept: beside it, {@code KEY_rollout}. */
    public static KvLocation location(KvLocation tagKey) {
        return new KvLocation(tagKey.bucket(), tagKey.key() + "_rollout");
    }

    /** The key of canary slot {@code slot} (1..canary) of this rollout: created once, by the node that takes it. */
    public KvLocation slot(KvLocation tagKey, int slot) {
        return new KvLocation(tagKey.bucket(), tagKey.key() + "_canary_" + id + "_" + slot);
    }

    public Phase phase() {
        if (aborted) {
            return Phase.ABORTED;
        }
        if (paused) {
            return Phase.PAUSED;
        }
        return canary > 0 && !promoted ? Phase.CANARY : Phase.ROLLING;
    }

    /** Whether this rollout governs the tag key's current value. */
    public boolean appliesTo(String kvTag) {
        return !aborted && tag.equals(kvTag);
    }

    /** The tag an aborted rollout goes back to, or the running tag stays on: {@link #from}, else the spec's image_tag. */
    public String previous(String imageTag) {
        return from != null ? from : imageTag;
    }

    /** Whether the deadline has passed at {@code now}. */
    public boolean pastDeadline(Instant now) {
        return deadline != null && now.isAfter(Instant.parse(deadline));
    }

    public RolloutRecord promote() {
        return new RolloutRecord(id, tag, from, canary, true, false, aborted, deadline, autoRevert, started, outcome);
    }

    public RolloutRecord pause(boolean pause) {
        return new RolloutRecord(id, tag, from, canary, promoted, pause, aborted, deadline, autoRevert, started, outcome);
    }

    public RolloutRecord abort(String why) {
        return new RolloutRecord(id, tag, from, canary, promoted, paused, true, deadline, autoRevert, started, why);
    }

    public RolloutRecord withOutcome(String why) {
        return new RolloutRecord(id, tag, from, canary, promoted, paused, aborted, deadline, autoRevert, started, why);
    }

    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("tag", tag);
        addIfSet(o, "from", from);
        o.addProperty("canary", canary);
        o.addProperty("promoted", promoted);
        o.addProperty("paused", paused);
        o.addProperty("aborted", aborted);
        addIfSet(o, "deadline", deadline);
        o.addProperty("auto_revert", autoRevert);
        o.addProperty("started", started);
        addIfSet(o, "outcome", outcome);
        return o.toString();
    }

    /** The key only when it has a value: a record without it reads as before the key existed. */
    private static void addIfSet(JsonObject o, String key, String value) {
        if (value != null) {
            o.addProperty(key, value);
        }
    }

    /**
     * The record in TEXT (the KV's value, or Choria's machine data, which holds it as JSON text), or
     * empty when it is missing or is not a rollout this release can read: a damaged record is no
     * rollout, so the tag key alone decides, as before rollouts existed.
     */
    public static Optional<RolloutRecord> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                return Optional.empty();
            }
            JsonObject o = e.getAsJsonObject();
            String id = str(o, "id");
            String tag = str(o, "tag");
            String from = str(o, "from");
            if (id == null || !isId(id) || tag == null || !Tags.isValid(tag) || from != null && !Tags.isValid(from)) {
                return Optional.empty();
            }
            int canary = o.has("canary") && o.get("canary").isJsonPrimitive() ? o.get("canary").getAsInt() : 0;
            String deadline = str(o, "deadline");
            if (deadline != null) {
                Instant.parse(deadline);
            }
            return Optional.of(new RolloutRecord(id, tag, from, Math.max(0, canary), bool(o, "promoted"), bool(o, "paused"),
                    bool(o, "aborted"), deadline, bool(o, "auto_revert"), str(o, "started"), str(o, "outcome")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() || !e.isJsonPrimitive() ? null : e.getAsString();
    }

    /** An id as {@code rollout start} makes them: 1 to 32 of a-z and 0-9 (the expression {@code [a-z0-9]{1,32}}, by hand: check's path). */
    static boolean isId(String id) {
        if (id.isEmpty() || id.length() > 32) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean bool(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }
}
