package io.choria.hoist.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import io.choria.hoist.HoistException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses and validates {@code container.json} strictly: unknown fields, wrong types and bad
 * values are errors that name the field. The one place a {@link ContainerSpec} is made.
 *
 * <p>Environment values may be secrets: messages name the entry's position and key, never its value.
 */
public final class SpecParser {
    /** Container names: what Choria accepts in a machine name. */
    public static final Pattern NAME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9_-]+$");
    static final Pattern IMAGE = Pattern.compile(
            "^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]{1,5})?/)?"
            + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$");
    static final Pattern NETWORK = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$");
    static final Pattern ENV = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=.*$", Pattern.DOTALL);
    static final Pattern DURATION = Pattern.compile("^[0-9]+[hms]$");
    static final Pattern ABSOLUTE = Pattern.compile("^/[^\\x00]*$");
    static final Pattern HEALTH_URL = Pattern.compile("^http://(127\\.0\\.0\\.1|localhost|\\[::1\\]):([0-9]{1,5})(/\\S*)?$");
    static final Pattern HEALTH_TCP = Pattern.compile("^(?:(127\\.0\\.0\\.1|localhost|\\[::1\\]):)?([0-9]{1,5})$");

    private enum Kind { STRING, BOOLEAN, INTEGER, STRINGS, WORDS }

    /** Every field container.json may hold, with its JSON type. */
    private static final Map<String, Kind> FIELDS = Map.ofEntries(
            Map.entry("name", Kind.STRING),
            Map.entry("image", Kind.STRING),
            Map.entry("image_tag", Kind.STRING),
            Map.entry("command", Kind.WORDS),
            Map.entry("entrypoint", Kind.WORDS),
            Map.entry("network", Kind.STRING),
            Map.entry("syslog", Kind.BOOLEAN),
            Map.entry("environment", Kind.STRINGS),
            Map.entry("volumes", Kind.STRINGS),
            Map.entry("ports", Kind.STRINGS),
            Map.entry("kv_update", Kind.BOOLEAN),
            Map.entry("kv_bucket", Kind.STRING),
            Map.entry("kv_key", Kind.STRING),
            Map.entry("kv_interval", Kind.STRING),
            Map.entry("check_interval", Kind.STRING),
            Map.entry("stop_timeout", Kind.INTEGER),
            Map.entry("restart_governor", Kind.STRING),
            Map.entry("update_governor", Kind.STRING),
            Map.entry("restart_files", Kind.STRINGS),
            Map.entry("health_http", Kind.STRING),
            Map.entry("health_status", Kind.INTEGER),
            Map.entry("health_tcp", Kind.STRING),
            Map.entry("health_command", Kind.WORDS),
            Map.entry("start_timeout", Kind.STRING),
            Map.entry("min_healthy_time", Kind.STRING));

    private SpecParser() {
    }

    /** Parses spec text; {@code source} names it in messages (a file name). */
    public static ContainerSpec parse(String json, String source) {
        JsonObject o = readObject(json, source);
        Set<String> unknown = new TreeSet<>(o.keySet());
        unknown.removeAll(FIELDS.keySet());
        if (!unknown.isEmpty()) {
            List<String> shown = unknown.stream().limit(5).map(Tags::printable).toList();
            throw bad(source, String.join(", ", shown) + (unknown.size() > 5 ? ", ..." : ""), "unknown field (known: " + String.join(", ", new TreeSet<>(FIELDS.keySet())) + ")");
        }
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            checkKind(source, e.getKey(), FIELDS.get(e.getKey()), e.getValue());
        }
        Fields f = new Fields(o, source);
        String name = f.required("name");
        f.check("name", name, NAME, "must match " + NAME.pattern());
        String where = source + " (container " + name + ")";
        f = new Fields(o, where);

        String image = f.required("image");
        f.check("image", image, IMAGE, "must be an image name without tag, like registry.example.com:5000/team/app");
        String tag = f.string("image_tag", ContainerSpec.DEFAULT_TAG);
        if (!Tags.isValid(tag)) {
            throw bad(where, "image_tag", Tags.whyInvalid(tag));
        }
        String network = f.string("network", ContainerSpec.DEFAULT_NETWORK);
        f.check("network", network, NETWORK, "must match " + NETWORK.pattern());

        List<String> env = f.strings("environment");
        for (int i = 0; i < env.size(); i++) {
            if (!ENV.matcher(env.get(i)).matches()) {
                throw bad(where, "environment", "entry " + (i + 1) + " is not KEY=value (KEY matches [A-Za-z_][A-Za-z0-9_]*)");
            }
        }
        List<VolumeSpec> volumes = f.each("volumes", VolumeSpec::parse);
        List<PortSpec> ports = f.each("ports", PortSpec::parse);

        KvLocation kv;
        try {
            KvLocation def = KvLocation.perContainer(name);
            kv = new KvLocation(f.string("kv_bucket", def.bucket()), f.string("kv_key", def.key()));
        } catch (IllegalArgumentException e) {
            throw bad(where, "kv_bucket/kv_key", e.getMessage());
        }
        String kvInterval = duration(f, "kv_interval", "10s");
        String checkInterval = duration(f, "check_interval", "2m");
        int stopTimeout = f.integer("stop_timeout", ContainerSpec.DEFAULT_STOP_TIMEOUT);
        if (stopTimeout < 0 || stopTimeout > 3600) {
            throw bad(where, "stop_timeout", "must be 0 to 3600 seconds, got " + stopTimeout);
        }
        String restartGovernor = f.string("restart_governor", null);
        String updateGovernor = f.string("update_governor", null);
        for (String g : new String[] {"restart_governor", "update_governor"}) {
            String v = f.string(g, null);
            if (v != null) {
                f.check(g, v, NAME, "must match " + NAME.pattern());
            }
        }
        List<String> restartFiles = f.strings("restart_files");
        for (String p : restartFiles) {
            f.check("restart_files", p, ABSOLUTE, "entries must be absolute paths");
        }

        return new ContainerSpec(name, image, tag,
                f.words("command"), f.words("entrypoint"), network,
                f.bool("syslog"), env, volumes, ports, f.bool("kv_update"), kv, kvInterval, checkInterval,
                stopTimeout, restartGovernor, updateGovernor, restartFiles, health(f));
    }

    private static HealthSpec health(Fields f) {
        String url = f.string("health_http", null);
        if (url != null) {
            f.check("health_http", url, HEALTH_URL, "must be http://127.0.0.1:PORT/PATH (or localhost, [::1])");
            probePort(f, "health_http", HEALTH_URL.matcher(url).replaceFirst("$2"));
        }
        int status = f.integer("health_status", HealthSpec.DEFAULT_HTTP_STATUS);
        if (f.o().has("health_status") && url == null) {
            throw bad(f.where, "health_status", "needs health_http");
        }
        if (status < 100 || status > 599) {
            throw bad(f.where, "health_status", "must be an HTTP status 100-599, got " + status);
        }
        String tcp = f.string("health_tcp", null);
        String tcpHost = null;
        int tcpPort = 0;
        if (tcp != null) {
            f.check("health_tcp", tcp, HEALTH_TCP, "must be PORT or HOST:PORT with HOST 127.0.0.1, localhost or [::1]");
            var m = HEALTH_TCP.matcher(tcp);
            m.matches();
            tcpHost = m.group(1) == null ? "127.0.0.1" : m.group(1).replace("[", "").replace("]", "");
            tcpPort = probePort(f, "health_tcp", m.group(2));
        }
        long startTimeout = seconds(f, "start_timeout", HealthSpec.DEFAULT_START_TIMEOUT, false);
        long minHealthy = seconds(f, "min_healthy_time", HealthSpec.DEFAULT_MIN_HEALTHY, true);
        return new HealthSpec(url, status, tcpHost, tcpPort, f.words("health_command"), startTimeout, minHealthy);
    }

    private static int probePort(Fields f, String field, String digits) {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw bad(f.where, field, "port " + port + " is outside 1-65535");
        }
        return port;
    }

    /** A duration like 30s, 5m or 1h, in seconds. */
    private static long seconds(Fields f, String field, long def, boolean zeroAllowed) {
        String v = f.string(field, null);
        if (v == null) {
            return def;
        }
        f.check(field, v, DURATION, "must be a duration like 30s, 5m or 1h");
        long n = amount(f, field, v);
        if (n == 0 && !zeroAllowed) {
            throw bad(f.where, field, "must be longer than 0");
        }
        return switch (v.charAt(v.length() - 1)) {
            case 'h' -> n * 3600;
            case 'm' -> n * 60;
            default -> n;
        };
    }

    /** Longest duration accepted: ten years, in any unit (so seconds never overflow). */
    static final long MAX_DURATION_SECONDS = 10L * 366 * 24 * 3600;

    /** The number in a duration that matched {@link #DURATION}; out of range is bad input. */
    private static long amount(Fields f, String field, String v) {
        String digits = v.substring(0, v.length() - 1);
        long unit = switch (v.charAt(v.length() - 1)) {
            case 'h' -> 3600;
            case 'm' -> 60;
            default -> 1;
        };
        try {
            long n = Long.parseLong(digits);
            if (n <= MAX_DURATION_SECONDS / unit) {
                return n;
            }
        } catch (NumberFormatException e) {
            // too many digits: reported below
        }
        throw bad(f.where, field, "is out of range (at most ten years), got '" + Tags.printable(v) + "'");
    }

    private static String duration(Fields f, String field, String def) {
        String v = f.string(field, def);
        f.check(field, v, DURATION, "must be a duration like 10s, 5m or 1h");
        if (amount(f, field, v) == 0) {
            throw bad(f.where, field, "must be longer than 0");
        }
        return v;
    }

    private static JsonObject readObject(String json, String source) {
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(com.google.gson.Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(reader);
            if (!e.isJsonObject()) {
                throw HoistException.badInput(source + ": the spec must be a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw HoistException.badInput(source + ": not valid JSON: " + HoistException.oneLine(rootMessage(e), 200));
        } catch (StackOverflowError e) {
            throw HoistException.badInput(source + ": not valid JSON: nested too deeply");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    private static void checkKind(String where, String field, Kind kind, JsonElement v) {
        boolean ok = switch (kind) {
            case STRING -> isString(v);
            case BOOLEAN -> v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean();
            case INTEGER -> v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()
                    && v.getAsBigDecimal().stripTrailingZeros().scale() <= 0;
            case STRINGS -> isStrings(v);
            case WORDS -> isString(v) || isStrings(v) && v.getAsJsonArray().size() > 0;
        };
        if (!ok) {
            String expected = switch (kind) {
                case STRING -> "a string";
                case BOOLEAN -> "true or false";
                case INTEGER -> "a whole number";
                case STRINGS -> "a list of strings";
                case WORDS -> "a string or a non-empty list of strings";
            };
            throw bad(where, field, "must be " + expected);
        }
    }

    private static boolean isString(JsonElement v) {
        return v.isJsonPrimitive() && v.getAsJsonPrimitive().isString();
    }

    private static boolean isStrings(JsonElement v) {
        if (!v.isJsonArray()) {
            return false;
        }
        for (JsonElement item : v.getAsJsonArray()) {
            if (!isString(item)) {
                return false;
            }
        }
        return true;
    }

    static HoistException bad(String where, String field, String problem) {
        return HoistException.badInput(where + ": field '" + field + "' " + problem);
    }

    /** Typed access to fields already checked by {@link #checkKind}. */
    private record Fields(JsonObject o, String where) {
        String required(String field) {
            String v = string(field, null);
            if (v == null || v.isEmpty()) {
                throw bad(where, field, "is required");
            }
            return v;
        }

        String string(String field, String def) {
            JsonElement v = o.get(field);
            return v == null ? def : v.getAsString();
        }

        boolean bool(String field) {
            JsonElement v = o.get(field);
            return v != null && v.getAsBoolean();
        }

        int integer(String field, int def) {
            JsonElement v = o.get(field);
            try {
                return v == null ? def : v.getAsBigDecimal().intValueExact();
            } catch (ArithmeticException e) {
                throw bad(where, field, "is out of range");
            }
        }

        List<String> strings(String field) {
            JsonElement v = o.get(field);
            List<String> out = new ArrayList<>();
            if (v != null) {
                for (JsonElement item : v.getAsJsonArray()) {
                    out.add(item.getAsString());
                }
            }
            return List.copyOf(out);
        }

        <T> List<T> each(String field, Function<String, T> parser) {
            List<T> out = new ArrayList<>();
            for (String s : strings(field)) {
                try {
                    out.add(parser.apply(s));
                } catch (IllegalArgumentException e) {
                    throw bad(where, field, e.getMessage());
                }
            }
            return List.copyOf(out);
        }

        /** command/entrypoint: a list as given, or a string split like a shell splits words. */
        List<String> words(String field) {
            JsonElement v = o.get(field);
            if (v == null) {
                return null;
            }
            if (v.isJsonArray()) {
                return strings(field);
            }
            try {
                List<String> w = Words.split(v.getAsString());
                if (w.isEmpty()) {
                    throw bad(where, field, "is empty");
                }
                return List.copyOf(w);
            } catch (IllegalArgumentException e) {
                throw bad(where, field, "cannot be split into words: " + e.getMessage());
            }
        }

        void check(String field, String value, Pattern p, String problem) {
            if (!p.matcher(value).matches()) {
                throw bad(where, field, problem + ", got '" + Tags.printable(value) + "'");
            }
        }
    }
}
