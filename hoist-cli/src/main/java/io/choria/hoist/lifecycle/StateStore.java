package io.choria.hoist.lifecycle;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
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

    private static Gson gson() {
        return new GsonBuilder().setPrettyPrinting().create();
    }

    /** The state; empty when there is none. A damaged file is reported and treated as empty. */
    public NodeState load() {
        try {
            NodeState s = gson().fromJson(Files.readString(file, StandardCharsets.UTF_8), NodeState.class);
            return s == null ? NodeState.EMPTY : s;
        } catch (NoSuchFileException e) {
            return NodeState.EMPTY;
        } catch (IOException | JsonParseException e) {
            warn.accept("ignoring unreadable " + file + ": " + e.getMessage());
            return NodeState.EMPTY;
        }
    }

    public void save(NodeState state) {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.writeString(tmp, gson().toJson(state) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HoistException(ExitCode.FILE_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
