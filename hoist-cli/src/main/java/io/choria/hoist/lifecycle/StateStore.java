package io.choria.hoist.lifecycle;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/** Reads and writes {@link NodeState} as {@code hoist-state.json} beside the container's spec. */
public class StateStore {
    public static final String FILE_NAME = "hoist-state.json";
    private final Path file;
    private final Consumer<String> warn;

    public StateStore(Path file, Consumer<String> warn) {
        this.file = file;
        this.warn = warn;
    }

    /** The state file for a spec file: in the same folder. */
    public static Path besideSpec(Path specFile) {
        Path dir = specFile.toAbsolutePath().getParent();
        return dir.resolve(FILE_NAME);
    }


    /**
     * The state; empty when there is none. A damaged file is reported and treated as empty.
     * check reads it on every run: it is parsed as a JSON tree, without building a Gson instance.
     */
    public NodeState load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return NodeState.EMPTY;
        } catch (IOException e) {
            warn.accept("ignoring unreadable " + file + ": " + e.getMessage());
            return NodeState.EMPTY;
        }
        try {
            JsonObject o = JsonParser.parseString(text).getAsJsonObject();
            JsonObject good = object(o, "lastGood");
            JsonObject failed = object(o, "failed");
            JsonObject starts = object(o, "startFailures");
            return new NodeState(
                    good == null ? null : new NodeState.GoodImage(str(good, "image"), str(good, "tag"), str(good, "imageId"), str(good, "at")),
                    failed == null ? null : new NodeState.FailedTag(str(failed, "image"), str(failed, "tag"), str(failed, "at"), str(failed, "reason")),
                    starts == null ? null : new NodeState.StartFailures(str(starts, "ref"), starts.get("count").getAsInt(), str(starts, "retryAfter")));
        } catch (RuntimeException e) {
            warn.accept("ignoring unreadable " + file + ": " + e.getMessage());
            return NodeState.EMPTY;
        }
    }

    private static JsonObject object(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsJsonObject();
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    public void save(NodeState state) {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().create().toJson(state) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HoistException(ExitCode.FILE_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
