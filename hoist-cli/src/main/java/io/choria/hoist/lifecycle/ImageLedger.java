package io.choria.hoist.lifecycle;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What this node remembers about a container's images, in the machine folder
 * ({@value #FILE_NAME}, beside {@code hoist-state.json}): the images hoist-cli pulled for this
 * container, oldest first (cleanup removes only those), and the registry digest {@code poll} last
 * saw for the desired tag with when it first saw it (for {@code min_image_age}).
 *
 * <p>Read leniently: a damaged or missing file is an empty ledger (with a warning when damaged),
 * which at worst makes cleanup keep images it could have removed. Written whole, through a
 * temporary file and a rename; callers hold the container's lock.
 */
public final class ImageLedger {
    public static final String FILE_NAME = "hoist-images.json";
    /** More entries than any keep_images needs: the oldest go first. */
    static final int MAX_PULLED = 200;

    /** An image hoist-cli pulled for this container. */
    public record Pulled(String id, String ref, String at) {
    }

    /** A registry digest poll saw for {@code ref}, and when it first saw it. */
    public record Seen(String ref, String digest, String firstSeen) {
    }

    private final Path file;
    private final Consumer<String> warn;
    private final List<Pulled> pulled = new ArrayList<>();
    private Seen seen;

    private ImageLedger(Path file, Consumer<String> warn) {
        this.file = file;
        this.warn = warn;
    }

    /** The ledger beside a container's spec file. */
    public static ImageLedger besideSpec(Path specFile, Consumer<String> warn) {
        Path dir = specFile.toAbsolutePath().getParent();
        return load(dir.resolve(FILE_NAME), warn);
    }

    /** A ledger that is never written (no machine folder). */
    public static ImageLedger none() {
        return new ImageLedger(null, m -> { });
    }

    static ImageLedger load(Path file, Consumer<String> warn) {
        ImageLedger l = new ImageLedger(file, warn);
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            if (o.has("pulled")) {
                for (JsonElement e : o.getAsJsonArray("pulled")) {
                    JsonObject p = e.getAsJsonObject();
                    l.pulled.add(new Pulled(p.get("id").getAsString(), p.get("ref").getAsString(), p.get("at").getAsString()));
                }
            }
            if (o.has("seen") && o.get("seen").isJsonObject()) {
                JsonObject s = o.getAsJsonObject("seen");
                l.seen = new Seen(s.get("ref").getAsString(), s.get("digest").getAsString(), s.get("firstSeen").getAsString());
            }
        } catch (NoSuchFileException e) {
            // nothing pulled yet
        } catch (IOException | RuntimeException e) {
            l.pulled.clear();
            l.seen = null;
            warn.accept(file + " is damaged; starting it afresh (cleanup keeps the images it listed)");
        }
        return l;
    }

    public List<Pulled> pulled() {
        return List.copyOf(pulled);
    }

    public Seen seen() {
        return seen;
    }

    /** Records a pull (a repeat of the same image moves it to the end). */
    public void pulled(String id, String ref, Instant at) {
        pulled.removeIf(p -> p.id().equals(id) && p.ref().equals(ref));
        pulled.add(new Pulled(id, ref, at.toString()));
        while (pulled.size() > MAX_PULLED) {
            pulled.remove(0);
        }
    }

    /** Forgets the images that are gone from the Engine. */
    public void retain(Set<String> presentIds) {
        pulled.removeIf(p -> !presentIds.contains(p.id()));
    }

    public void seen(Seen s) {
        this.seen = s;
    }

    public void save() {
        if (file == null) {
            return;
        }
        JsonObject o = new JsonObject();
        o.addProperty("format", 1);
        JsonArray a = new JsonArray();
        for (Pulled p : pulled) {
            JsonObject e = new JsonObject();
            e.addProperty("id", p.id());
            e.addProperty("ref", p.ref());
            e.addProperty("at", p.at());
            a.add(e);
        }
        o.add("pulled", a);
        if (seen != null) {
            JsonObject s = new JsonObject();
            s.addProperty("ref", seen.ref());
            s.addProperty("digest", seen.digest());
            s.addProperty("firstSeen", seen.firstSeen());
            o.add("seen", s);
        }
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.writeString(tmp, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o) + "\n");
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HoistException(ExitCode.FILE_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }
}
