package io.choria.hoist.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.choria.hoist.HoistException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry credentials file: Docker's own {@code config.json} format, an object {@code auths}
 * keyed by registry ({@code registry.example.com:5000}, {@code https://index.docker.io/v1/}), each
 * entry with a base64 {@code auth} ({@code user:password}) or {@code username} and {@code password}.
 * Class {@code hoist} writes it (mode 0600, root) from Hiera, or the operator provides it; its path
 * is {@code HOIST_REGISTRY_AUTH}, by default {@value #DEFAULT_FILE}.
 *
 * <p>A missing file means no credentials (public images still pull). A file that others may read is
 * refused (exit 2): credentials readable by every user are a leak, and a refusal is seen at once,
 * where a warning would scroll by in a log. Messages name the file and the registry, never a value.
 * The file is read only when an image is pulled or its digest asked for.
 */
public final class RegistryAuth {
    public static final String ENV = "HOIST_REGISTRY_AUTH";
    public static final String DEFAULT_FILE = "/etc/hoist/registry-auth.json";

    private final Path file;
    private Map<String, Credentials> byHost;

    public RegistryAuth(Path file) {
        this.file = file;
    }

    /** The file named by {@value #ENV}, else {@value #DEFAULT_FILE}. */
    public static RegistryAuth fromEnvironment(Map<String, String> env) {
        String p = env.get(ENV);
        return new RegistryAuth(Path.of(p == null || p.isBlank() ? DEFAULT_FILE : p));
    }

    /** No credentials at all (tests, and commands that never pull). */
    public static RegistryAuth none() {
        RegistryAuth a = new RegistryAuth(null);
        a.byHost = Map.of();
        return a;
    }

    public Path file() {
        return file;
    }

    /** The credentials for the registry of {@code image} (a spec's image, without tag), if the file has some. */
    public Optional<Credentials> forImage(String image) {
        return Optional.ofNullable(entries().get(ImageName.of(image).host()));
    }

    /** The credentials for a registry host as Docker names it ({@code registry.example.com:5000}, {@code docker.io}). */
    public Optional<Credentials> forHost(String host) {
        return Optional.ofNullable(entries().get(host));
    }

    /** Whether the file exists (to say so in a message). */
    public boolean present() {
        return file != null && Files.exists(file);
    }

    private Map<String, Credentials> entries() {
        if (byHost == null) {
            byHost = load();
        }
        return byHost;
    }

    private Map<String, Credentials> load() {
        String text;
        try {
            if (Files.exists(file)) {
                Set<PosixFilePermission> perms;
                try {
                    perms = Files.getPosixFilePermissions(file);
                } catch (UnsupportedOperationException e) {
                    perms = Set.of();
                }
                if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                    throw HoistException.badInput("registry auth file " + file + " is readable by every user (mode "
                            + mode(perms) + "); it holds passwords: chmod 600 it (hoist-cli refuses to use it until then)");
                }
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw HoistException.badInput("cannot read registry auth file " + file + ": " + e.getClass().getSimpleName());
        }
        return parse(text, file.toString());
    }

    /** Parses the file's text; {@code source} names it in messages. Values are never shown. */
    static Map<String, Credentials> parse(String text, String source) {
        JsonObject auths;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject() || !e.getAsJsonObject().has("auths") || !e.getAsJsonObject().get("auths").isJsonObject()) {
                throw HoistException.badInput("registry auth file " + source + " is not {\"auths\": {REGISTRY: {...}}} (Docker's config.json format)");
            }
            auths = e.getAsJsonObject().getAsJsonObject("auths");
        } catch (JsonParseException | IllegalStateException e) {
            throw HoistException.badInput("registry auth file " + source + " is not valid JSON");
        }
        Map<String, Credentials> out = new HashMap<>();
        for (Map.Entry<String, JsonElement> entry : auths.entrySet()) {
            String key = entry.getKey();
            String host = host(key);
            String where = "registry auth file " + source + ", entry " + host + ": ";
            if (!entry.getValue().isJsonObject()) {
                throw HoistException.badInput(where + "must be an object with auth, or username and password");
            }
            JsonObject o = entry.getValue().getAsJsonObject();
            String user;
            String password;
            if (string(o, "auth") != null && !string(o, "auth").isEmpty()) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(string(o, "auth").trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw HoistException.badInput(where + "auth is not base64");
                }
                int colon = decoded.indexOf(':');
                if (colon <= 0) {
                    throw HoistException.badInput(where + "auth is not base64 of user:password");
                }
                user = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            } else {
                user = string(o, "username");
                password = string(o, "password");
                if (user == null || user.isEmpty() || password == null) {
                    throw HoistException.badInput(where + "needs auth, or username and password");
                }
            }
            out.put(host, new Credentials(host, user, password));
        }
        return Map.copyOf(out);
    }

    private static String string(JsonObject o, String field) {
        JsonElement v = o.get(field);
        return v != null && v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() ? v.getAsString() : null;
    }

    /** A config.json key as the registry host Docker names images by: scheme and path dropped, Docker Hub's aliases as docker.io. */
    static String host(String key) {
        String h = key.trim();
        int scheme = h.indexOf("://");
        if (scheme >= 0) {
            h = h.substring(scheme + 3);
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        return switch (h) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> ImageName.DOCKER_HUB;
            default -> h;
        };
    }

    private static String mode(Set<PosixFilePermission> p) {
        int m = 0;
        for (PosixFilePermission x : p) {
            m |= 1 << (8 - x.ordinal());
        }
        return String.format("%04o", m);
    }
}
