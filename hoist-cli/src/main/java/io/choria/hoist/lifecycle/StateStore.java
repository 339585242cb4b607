package io.choria.hoist.lifecycle;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.rollout.RolloutPolicy.CanaryClaim;
import io.choria.hoist.spec.Tags;
import io.choria.hoist.startup.LeanJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Reads and writes {@link NodeState} as {@code hoist-state.json} beside the container's spec.
 *
 * <p>The file can never wedge a machine. It is written atomically (a temporary file in the same
 * folder, fsync, rename), so a reader sees the old file or the new one. It is read defensively:
 * each fact (last good image, failed tag, failed starts) stands alone, and one that is missing,
 * null, of the wrong type, too large, or written differently by another release is forgotten, with
 * one warning line for the whole file; the rest is kept. Unknown fields are ignored.
 */
public class StateStore {
    public static final String FILE_NAME = "hoist-state.json";
    /** Written into the file; a reader of any release reads what it understands, by field. */
    static final int FORMAT = 1;
    /** A state file is a few hundred bytes; anything far larger is not ours. */
    static final long MAX_BYTES = 64 * 1024;
    /** Longest string kept from the file (a failure reason with log lines fits). */
    static final int MAX_STRING = 4096;
    private static final Set<String> TOP = Set.of("format", "lastGood", "failed", "startFailures", "lastFailure", "canary");
    private static final Set<String> CANARY = Set.of("rollout", "slot");
    private static final Set<String> GOOD = Set.of("image", "tag", "imageId", "at");
    private static final Set<String> FAILED = Set.of("image", "tag", "at", "reason");
    private static final Set<String> STARTS = Set.of("ref", "count", "retryAfter");
    private static final Set<String> LAST_FAILURE = Set.of("ref", "at", "reason");
    private final Path file;
    private final Consumer<String> warn;
    private final boolean repair;
    private boolean damaged;

    public StateStore(Path file, Consumer<String> warn) {
        this(file, warn, false);
    }

    private StateStore(Path file, Consumer<String> warn, boolean repair) {
        this.file = file;
        this.warn = warn;
        this.repair = repair;
    }

    /**
     * This store for a command that holds the container's lock ({@link ContainerLock}): a file it
     * had to forget parts of is rewritten with what was kept, so the warning is logged once.
     */
    public StateStore repairing() {
        return new StateStore(file, warn, true);
    }

    /**
     * Rewrites a damaged file with what can be read of it, silently; false when there was nothing
     * to repair or it could not be written. Only with the container's lock held.
     */
    public boolean repair() {
        Read r = read();
        if (r.problems().isEmpty() || !Files.exists(file) || Files.isDirectory(file)) {
            return false;
        }
        try {
            save(r.state());
            return true;
        } catch (HoistException e) {
            return false;
        }
    }

    /** True when the last {@link #load()} had to forget something (no second read: check's path). */
    public boolean damaged() {
        return damaged;
    }

    /** The state file for a spec file: in the same folder. */
    public static Path besideSpec(Path specFile) {
        Path dir = specFile.toAbsolutePath().getParent();
        return dir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /**
     * The state; empty when there is none. What cannot be read is reported in one warning line and
     * forgotten. Never throws. check reads it on every run: it is parsed as a JSON tree, without
     * building a Gson instance.
     */
    public NodeState load() {
        Read r = read();
        damaged = !r.problems().isEmpty();
        if (damaged) {
            warn.accept(file + ": " + String.join("; ", r.problems())
                    + " (a damaged file, or one another release wrote): Hoist forgets that and carries on"
                    + (repair && !Files.isDirectory(file) ? "; rewritten with what was kept" : ""));
            if (repair && !Files.isDirectory(file)) {
                try {
                    save(r.state());
                } catch (HoistException e) {
                    // the command's own save reports a file it cannot write
                }
            }
        }
        return r.state();
    }

    /** What a read found, and what it had to forget. */
    public record Read(NodeState state, List<String> problems) {
    }

    Read read() {
        List<String> problems = new ArrayList<>();
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                problems.add("larger than " + MAX_BYTES + " bytes, ignored");
                return new Read(NodeState.EMPTY, problems);
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Read(NodeState.EMPTY, problems);
        } catch (IOException | RuntimeException e) {
            problems.add("unreadable (" + oneLine(e) + ")");
            return new Read(NodeState.EMPTY, problems);
        }
        return parse(text);
    }

    /** What the text of a state file says, and what it had to forget. Never throws. */
    public static Read parse(String text) {
        List<String> problems = new ArrayList<>();
        JsonElement root;
        try {
            // check reads it on every run: the lean reader, gson for what it leaves to gson.
            root = LeanJson.parseOrGson(text);
        } catch (RuntimeException | StackOverflowError e) {
            problems.add("not valid JSON");
            return new Read(NodeState.EMPTY, problems);
        }
        if (root == null || !root.isJsonObject()) {
            if (!text.isBlank()) {
                problems.add("not a JSON object");
            } else {
                problems.add("empty");
            }
            return new Read(NodeState.EMPTY, problems);
        }
        JsonObject o = root.getAsJsonObject();
        unknown(o, "", TOP, problems);
        return new Read(new NodeState(lastGood(o, problems), failed(o, problems), startFailures(o, problems), lastFailure(o, problems),
                canary(o, problems)), problems);
    }

    /** The fact KEY of the file: its object, its unknown fields reported; null when it is absent or not an object. */
    private static JsonObject fact(JsonObject o, String key, Set<String> known, List<String> problems) {
        JsonObject f = object(o, key, problems);
        if (f != null) {
            unknown(f, key + ".", known, problems);
        }
        return f;
    }

    private static NodeState.GoodImage lastGood(JsonObject o, List<String> problems) {
        JsonObject g = fact(o, "lastGood", GOOD, problems);
        if (g == null) {
            return null;
        }
        String image = str(g, "lastGood", "image", true, problems);
        String tag = tag(g, "lastGood", problems);
        return image == null || tag == null ? null
                : new NodeState.GoodImage(image, tag, str(g, "lastGood", "imageId", false, problems), str(g, "lastGood", "at", false, problems));
    }

    private static NodeState.FailedTag failed(JsonObject o, List<String> problems) {
        JsonObject f = fact(o, "failed", FAILED, problems);
        if (f == null) {
            return null;
        }
        String image = str(f, "failed", "image", true, problems);
        String tag = tag(f, "failed", problems);
        return image == null || tag == null ? null
                : new NodeState.FailedTag(image, tag, str(f, "failed", "at", false, problems), str(f, "failed", "reason", false, problems));
    }

    private static NodeState.StartFailures startFailures(JsonObject o, List<String> problems) {
        JsonObject s = fact(o, "startFailures", STARTS, problems);
        if (s == null) {
            return null;
        }
        String ref = str(s, "startFailures", "ref", true, problems);
        Integer count = count(s, problems);
        String retryAfter = str(s, "startFailures", "retryAfter", true, problems);
        if (retryAfter != null && !isInstant(retryAfter)) {
            problems.add("startFailures.retryAfter is not a time");
            retryAfter = null;
        }
        return ref == null || count == null || retryAfter == null ? null : new NodeState.StartFailures(ref, count, retryAfter);
    }

    private static NodeState.LastFailure lastFailure(JsonObject o, List<String> problems) {
        JsonObject l = fact(o, "lastFailure", LAST_FAILURE, problems);
        if (l == null) {
            return null;
        }
        String ref = str(l, "lastFailure", "ref", true, problems);
        String reason = str(l, "lastFailure", "reason", true, problems);
        return ref == null || reason == null ? null : new NodeState.LastFailure(ref, str(l, "lastFailure", "at", false, problems), reason);
    }

    private static CanaryClaim canary(JsonObject o, List<String> problems) {
        JsonObject c = fact(o, "canary", CANARY, problems);
        if (c == null) {
            return null;
        }
        String rollout = str(c, "canary", "rollout", true, problems);
        JsonElement slot = c.get("slot");
        if (slot == null || !slot.isJsonPrimitive() || !((JsonPrimitive) slot).isNumber()) {
            problems.add("canary.slot is not a number");
            return null;
        }
        return rollout == null ? null : new CanaryClaim(rollout, Math.max(0, slot.getAsInt()));
    }

    private static void unknown(JsonObject o, String prefix, Set<String> known, List<String> problems) {
        List<String> extra = new ArrayList<>();
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                extra.add(prefix + Tags.printable(k));
            }
        }
        if (!extra.isEmpty()) {
            problems.add("ignores unknown field" + (extra.size() > 1 ? "s " : " ") + String.join(", ", extra.subList(0, Math.min(5, extra.size())))
                    + (extra.size() > 5 ? " and " + (extra.size() - 5) + " more" : ""));
        }
    }

    /** An object-valued fact; absent or null is simply not remembered, anything else is reported. */
    private static JsonObject object(JsonObject o, String key, List<String> problems) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            problems.add(key + " is not an object");
            return null;
        }
        return e.getAsJsonObject();
    }

    private static String str(JsonObject o, String fact, String key, boolean required, List<String> problems) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (required) {
                problems.add(fact + "." + key + " is missing");
            }
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            problems.add(fact + "." + key + " is not a string");
            return null;
        }
        String v = e.getAsString();
        if (v.length() > MAX_STRING) {
            problems.add(fact + "." + key + " is longer than " + MAX_STRING + " characters");
            return null;
        }
        if (required && v.isEmpty()) {
            problems.add(fact + "." + key + " is empty");
            return null;
        }
        return v;
    }

    private static String tag(JsonObject o, String fact, List<String> problems) {
        String t = str(o, fact, "tag", true, problems);
        if (t != null && !Tags.isValid(t)) {
            problems.add(fact + ".tag is not a valid tag");
            return null;
        }
        return t;
    }

    private static Integer count(JsonObject o, List<String> problems) {
        JsonElement e = o.get("count");
        if (e == null || e.isJsonNull()) {
            problems.add("startFailures.count is missing");
            return null;
        }
        if (e.isJsonPrimitive() && ((JsonPrimitive) e).isNumber()) {
            try {
                BigDecimal n = e.getAsBigDecimal();
                if (n.signum() > 0 && n.compareTo(BigDecimal.valueOf(1_000_000)) <= 0 && n.stripTrailingZeros().scale() <= 0) {
                    return n.intValueExact();
                }
            } catch (RuntimeException ignored) {
                // reported below
            }
        }
        problems.add("startFailures.count is not a whole number from 1 to 1000000");
        return null;
    }

    private static boolean isInstant(String s) {
        try {
            Instant.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return HoistException.singleSpaced(m);
    }

    /** The file's JSON: the facts this release remembers and the format number. */
    static String toJson(NodeState state) {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        if (state.lastGood() != null) {
            JsonObject g = new JsonObject();
            g.addProperty("image", state.lastGood().image());
            g.addProperty("tag", state.lastGood().tag());
            g.addProperty("imageId", state.lastGood().imageId());
            g.addProperty("at", state.lastGood().at());
            o.add("lastGood", g);
        }
        if (state.failed() != null) {
            JsonObject f = new JsonObject();
            f.addProperty("image", state.failed().image());
            f.addProperty("tag", state.failed().tag());
            f.addProperty("at", state.failed().at());
            f.addProperty("reason", cut(state.failed().reason()));
            o.add("failed", f);
        }
        if (state.startFailures() != null) {
            JsonObject s = new JsonObject();
            s.addProperty("ref", state.startFailures().ref());
            s.addProperty("count", state.startFailures().count());
            s.addProperty("retryAfter", state.startFailures().retryAfter());
            o.add("startFailures", s);
        }
        if (state.canary() != null) {
            JsonObject c = new JsonObject();
            c.addProperty("rollout", state.canary().rollout());
            c.addProperty("slot", state.canary().slot());
            o.add("canary", c);
        }
        if (state.lastFailure() != null) {
            JsonObject l = new JsonObject();
            l.addProperty("ref", state.lastFailure().ref());
            l.addProperty("at", state.lastFailure().at());
            l.addProperty("reason", cut(state.lastFailure().reason()));
            o.add("lastFailure", l);
        }
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n";
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_STRING ? s : s.substring(0, MAX_STRING - 3) + "...";
    }

    /**
     * Writes the state atomically: a temporary file in the same folder (created as the file always
     * was, with the process's umask), fsync, rename over the old file, fsync of the folder.
     */
    public void save(NodeState state) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + FILE_NAME + "." + ProcessHandle.current().pid() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(toJson(state).getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncFolder(dir);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is all that is left behind
            }
            throw new HoistException(ExitCode.FILE_ERROR, "cannot write " + file + ": " + oneLine(e));
        }
    }

    /** Makes the rename durable; not every file system lets a folder be opened, and that is fine. */
    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // the rename itself is atomic; only its durability across a power cut is at stake
        }
    }
}
