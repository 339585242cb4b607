package io.choria.hoist.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.choria.hoist.HoistException;
import io.choria.hoist.startup.LeanJson;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The machine data a Choria exec watcher hands its command: a file named by the
 * {@code WATCHER_DATA} environment variable, holding one flat JSON object.
 */
public final class WatcherData {
    public static final String ENV = "WATCHER_DATA";
    private final JsonObject data;

    private WatcherData(JsonObject data) {
        this.data = data;
    }

    /** Machine data holding one value, as the kv watcher would store it. */
    public static WatcherData of(String key, String value) {
        JsonObject o = new JsonObject();
        o.addProperty(key, value);
        return new WatcherData(o);
    }

    /** This data with KEY set to VALUE, or removed when VALUE is null. */
    public WatcherData with(String key, String value) {
        JsonObject o = data.deepCopy();
        if (value == null) {
            o.remove(key);
        } else {
            o.addProperty(key, value);
        }
        return new WatcherData(o);
    }

    public boolean isEmpty() {
        return data.size() == 0;
    }

    public static WatcherData empty() {
        return new WatcherData(new JsonObject());
    }

    /** Reads the file; an unreadable or malformed file is bad input (exit 2). */
    public static WatcherData read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw HoistException.badInput(ENV + " file " + file + " cannot be read: it is not UTF-8 text");
        } catch (IOException e) {
            throw HoistException.badInput(ENV + " file " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
        return parse(text, ENV + " file " + file);
    }

    /** Parses machine data; {@code source} names it in messages. Malformed data is bad input (exit 2). */
    public static WatcherData parse(String text, String source) {
        if (text.isBlank()) {
            return empty();
        }
        try {
            JsonElement e = LeanJson.parseOrGson(text);
            if (!e.isJsonObject()) {
                throw HoistException.badInput(source + " does not hold a JSON object");
            }
            return new WatcherData(e.getAsJsonObject());
        } catch (JsonParseException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw HoistException.badInput(source + " is not valid JSON: " + HoistException.oneLine(root.getMessage(), 200));
        } catch (StackOverflowError e) {
            throw HoistException.badInput(source + " is not valid JSON: nested too deeply");
        }
    }

    /** From the environment: empty when WATCHER_DATA is unset or empty. */
    public static WatcherData fromEnvironment(String value) {
        return value == null || value.isEmpty() ? empty() : read(Path.of(value));
    }

    /**
     * The raw value under KEY, as Choria's kv watcher stored it. A value that is not a JSON string
     * (Choria parses {...} and [...] as JSON) is returned as its JSON text so it can be reported.
     */
    public Optional<String> value(String key) {
        JsonElement v = data.get(key);
        if (v == null || v.isJsonNull()) {
            return Optional.empty();
        }
        String s = v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() ? v.getAsString().trim() : v.toString();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
