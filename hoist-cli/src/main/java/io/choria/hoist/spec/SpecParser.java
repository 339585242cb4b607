package io.choria.hoist.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import io.choria.hoist.HoistException;
import io.choria.hoist.startup.LeanJson;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Parses and validates {@code container.json} strictly: unknown fields, wrong types and bad
 * values are errors that name the field. The one place a {@link ContainerSpec} is made.
 *
 * <p>Environment values may be secrets: messages name the entry's position and key, never its value.
 */
public final class SpecParser {
    // The patterns are schema/container-spec.v1.json's: SchemaPatterns, which harness/tools/contract.py
    // generates from it (SpecContractTest holds each key to its patterns). They use only syntax on
    // which ECMA-262, Java, Ruby and Python agree; always matched whole, by Grammar's hand matchers
    // where they can (check validates every spec, and compiling these cost more than the rest of it).

    /** Container names: what Choria accepts in a machine name; {@code purge} is the purge machine's. */
    public static final Grammar NAME = Grammar.of(Grammar.NAME, SchemaPatterns.NAME);

    /**
     * Why NAME is refused, in words rather than {@link #NAME}'s expression: what an operator who typed
     * a bad name needs to read.
     */
    public static String notAName(String printableName) {
        return "'" + printableName + "' is not a container name: a name is a letter followed by at least one more letter, digit, '_' or '-' "
                + "(the container and its machine are hoist_NAME), and 'purge' is reserved";
    }
    /** Docker's reference grammar: a registry only with a dot or a port, or localhost; at most 255 characters. */
    public static final Grammar IMAGE = Grammar.of(Grammar.IMAGE, SchemaPatterns.IMAGE);
    public static final Grammar NETWORK = Grammar.of(Grammar.NETWORK, SchemaPatterns.NETWORK);
    public static final Grammar ENV = Grammar.of(Grammar.ENV, SchemaPatterns.ENVIRONMENT_ITEM);
    /** A positive Choria duration, far below Go's time.ParseDuration maximum (2562047h). */
    public static final Grammar DURATION = Grammar.of(Grammar.DURATION, SchemaPatterns.DURATION);
    /**
     * A positive time hoist-cli waits: shorter than a {@link #DURATION}, so that the machine's
     * remediate timeout, start_timeout + min_healthy_time + stop_timeout + 120 s, is a DURATION.
     */
    public static final Grammar TIMEOUT = Grammar.of(Grammar.TIMEOUT, SchemaPatterns.TIMEOUT);
    /** A time hoist-cli waits that may be zero. */
    public static final Grammar PERIOD = Grammar.of(Grammar.PERIOD, SchemaPatterns.PERIOD);
    /** Choria Governor names: the portable subset of what makes a JetStream stream name. */
    public static final Grammar GOVERNOR = Grammar.of(Grammar.GOVERNOR, SchemaPatterns.GOVERNOR);
    /** Absolute paths as Stdlib::Unixpath takes them: no newline or NUL, not starting with //. */
    public static final Grammar ABSOLUTE = Grammar.ABSOLUTE_PATH;
    public static final Grammar HEALTH_URL = Grammar.of(Grammar.HEALTH_URL, SchemaPatterns.HEALTH_HTTP);
    public static final Grammar HEALTH_TCP = Grammar.of(Grammar.HEALTH_TCP, SchemaPatterns.HEALTH_TCP);
    /** A command string {@link Words#split} splits into at least one word, without NUL. */
    public static final Grammar WORDS = Grammar.of(Grammar.WORDS, SchemaPatterns.WORDS);
    /** An item of a command list: anything but NUL. */
    public static final Grammar WORD = Grammar.NOT_NUL;
    /** A published port: {@code [IP:]HOSTPORT:CONTAINERPORT[/PROTO]}. */
    public static final Grammar PORTS = Grammar.of(Grammar.PORTS, SchemaPatterns.PORTS_ITEM);
    /** A bind mount: the target is not {@code /} however spelled (a component other than empty, . and ..), as Docker refuses it. */
    public static final Grammar VOLUME = Grammar.of(Grammar.VOLUME, SchemaPatterns.VOLUMES_ITEM);

    static final String SIZE_RULE = "a whole number, no leading zero, and b, k, m or g or no unit; at most 18 digits of bytes, 15 of k, 12 of m, 9 of g";
    static final String SIZE_PROBLEM = "must be a size like 512m, 1g or 1073741824 (" + SIZE_RULE + ")";

    // The container options' patterns, by the names tests and messages use: ContainerOption's.
    public static final Grammar SIZE = ContainerOption.MEMORY.grammar(0);
    public static final Grammar CPUSET = ContainerOption.CPUSET.grammar(0);
    public static final Grammar USER = ContainerOption.USER.grammar(0);
    public static final Grammar GROUP = ContainerOption.GROUP_ADD.grammar(0);
    public static final Grammar HOSTNAME = ContainerOption.HOSTNAME.grammar(0);
    public static final Grammar IP_V4 = ContainerOption.DNS.grammar(0);
    public static final Grammar IP_V6 = ContainerOption.DNS.grammar(1);
    public static final Grammar DOMAIN_NAME = ContainerOption.DNS_SEARCH.grammar(0);
    public static final Grammar EXTRA_HOST = ContainerOption.EXTRA_HOSTS.grammar(0);
    /** A label key; {@code io.choria.hoist.} is Hoist's own (docker/Labels.PREFIX). */
    public static final Grammar LABEL_KEY = ContainerOption.LABELS.grammar(0);
    /** A label or log option value: anything but NUL. */
    public static final Grammar NO_NUL = ContainerOption.LABELS.grammar(1);
    public static final Grammar LOG_OPT_KEY = ContainerOption.LOG_OPTS.grammar(0);
    public static final Grammar CAPABILITY = ContainerOption.CAP_ADD.grammar(0);
    public static final Grammar TMPFS = ContainerOption.TMPFS.grammar(0);
    public static final Grammar ULIMIT = ContainerOption.ULIMITS.grammar(0);
    public static final Grammar DEVICE = ContainerOption.DEVICES.grammar(0);
    public static final Grammar SIGNAL = ContainerOption.STOP_SIGNAL.grammar(0);
    public static final Grammar SYSCTL_KEY = ContainerOption.SYSCTLS.grammar(0);
    public static final Grammar SYSCTL_VALUE = ContainerOption.SYSCTLS.grammar(1);
    /** The log drivers: Docker's own and the loki plugin, what docker-java's LogConfig.LoggingType can name. */
    public static final List<String> LOG_DRIVERS = List.of("json-file", "local", "syslog", "journald", "gelf", "fluentd", "awslogs",
            "splunk", "gcplogs", "loki", "none");

    public static final int STOP_TIMEOUT_MIN = 0;
    public static final int STOP_TIMEOUT_MAX = 3600;
    public static final int HEALTH_STATUS_MIN = 100;
    public static final int HEALTH_STATUS_MAX = 599;
    public static final BigDecimal CPUS_MIN = new BigDecimal("0.01");
    public static final BigDecimal CPUS_MAX = new BigDecimal("1024");
    public static final long PIDS_LIMIT_MIN = 1;
    public static final long PIDS_LIMIT_MAX = 4194304;

    /** The JSON type of a field. */
    public enum Kind { STRING, BOOLEAN, INTEGER, STRINGS, WORDS, NUMBER, STRING_MAP }

    /** Every field container.json may hold, with its JSON type: these and the container options' (ContainerOption). */
    public static final Map<String, Kind> FIELDS = withOptionKinds(Map.ofEntries(
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
            Map.entry("keep_images", Kind.INTEGER),
            Map.entry("image_poll", Kind.STRING),
            Map.entry("min_image_age", Kind.STRING),
            Map.entry("restart_files", Kind.STRINGS),
            Map.entry("health_http", Kind.STRING),
            Map.entry("health_status", Kind.INTEGER),
            Map.entry("health_tcp", Kind.STRING),
            Map.entry("health_command", Kind.WORDS),
            Map.entry("start_timeout", Kind.STRING),
            Map.entry("min_healthy_time", Kind.STRING)));

    /** The fields that must be there. */
    public static final Set<String> REQUIRED = Set.of("name", "image");

    /**
     * Each field's patterns: a string field's, a list's items', and for a command the string's
     * and then the list items'; for a hash its keys' and then its values'. These and the container
     * options' (ContainerOption).
     */
    public static final Map<String, List<Grammar>> PATTERNS = withOptionPatterns(Map.ofEntries(
            Map.entry("name", List.of(NAME)),
            Map.entry("image", List.of(IMAGE)),
            Map.entry("image_tag", List.of(Tags.PATTERN)),
            Map.entry("command", List.of(WORDS, WORD)),
            Map.entry("entrypoint", List.of(WORDS, WORD)),
            Map.entry("network", List.of(NETWORK)),
            Map.entry("environment", List.of(ENV)),
            Map.entry("volumes", List.of(VOLUME)),
            Map.entry("ports", List.of(PORTS)),
            Map.entry("kv_bucket", List.of(KvLocation.BUCKET)),
            Map.entry("kv_key", List.of(KvLocation.KEY)),
            Map.entry("kv_interval", List.of(DURATION)),
            Map.entry("check_interval", List.of(DURATION)),
            Map.entry("restart_governor", List.of(GOVERNOR)),
            Map.entry("update_governor", List.of(GOVERNOR)),
            Map.entry("image_poll", List.of(DURATION)),
            Map.entry("min_image_age", List.of(PERIOD)),
            Map.entry("restart_files", List.of(ABSOLUTE)),
            Map.entry("health_http", List.of(HEALTH_URL)),
            Map.entry("health_tcp", List.of(HEALTH_TCP)),
            Map.entry("health_command", List.of(WORDS, WORD)),
            Map.entry("start_timeout", List.of(TIMEOUT)),
            Map.entry("min_healthy_time", List.of(PERIOD))));

    public static final String DEFAULT_KV_INTERVAL = "10s";
    public static final String DEFAULT_CHECK_INTERVAL = "2m";
    public static final String DEFAULT_START_TIMEOUT = "60s";
    /** {@link #DEFAULT_START_TIMEOUT} in seconds, as {@link HealthSpec#startTimeoutSeconds()} holds it. */
    public static final long DEFAULT_START_TIMEOUT_SECONDS = seconds(DEFAULT_START_TIMEOUT);
    public static final String DEFAULT_MIN_HEALTHY_TIME = "1s";

    /**
     * What an absent field means, where that is a value (kv_bucket's, HOIST_NAME, is
     * {@link KvLocation#perContainer}); the schema's {@code default}s. These and the container
     * options' (an empty list or hash, false: ContainerOptions#unset).
     */
    public static final Map<String, Object> DEFAULTS = withOptionDefaults(Map.ofEntries(
            Map.entry("image_tag", ContainerSpec.DEFAULT_TAG),
            Map.entry("network", ContainerSpec.DEFAULT_NETWORK),
            Map.entry("syslog", false),
            Map.entry("environment", List.of()),
            Map.entry("volumes", List.of()),
            Map.entry("ports", List.of()),
            Map.entry("kv_update", false),
            Map.entry("kv_key", KvLocation.DEFAULT_KEY),
            Map.entry("kv_interval", DEFAULT_KV_INTERVAL),
            Map.entry("check_interval", DEFAULT_CHECK_INTERVAL),
            Map.entry("stop_timeout", ContainerSpec.DEFAULT_STOP_TIMEOUT),
            Map.entry("restart_files", List.of()),
            Map.entry("keep_images", ImagePolicy.DEFAULT_KEEP_IMAGES),
            Map.entry("min_image_age", ImagePolicy.DEFAULT_MIN_IMAGE_AGE),
            Map.entry("health_status", HealthSpec.DEFAULT_HTTP_STATUS),
            Map.entry("start_timeout", DEFAULT_START_TIMEOUT),
            Map.entry("min_healthy_time", DEFAULT_MIN_HEALTHY_TIME)));

    private SpecParser() {
    }

    // The tables above with ContainerOption's rows added: loops, not streams (see Grammar).
    private static Map<String, Kind> withOptionKinds(Map<String, Kind> fields) {
        Map<String, Kind> all = new HashMap<>(fields);
        for (ContainerOption o : ContainerOption.values()) {
            all.put(o.key(), o.kind());
        }
        return Map.copyOf(all);
    }

    private static Map<String, List<Grammar>> withOptionPatterns(Map<String, List<Grammar>> patterns) {
        Map<String, List<Grammar>> all = new HashMap<>(patterns);
        for (ContainerOption o : ContainerOption.values()) {
            if (o.grammarCount() > 0) {
                all.put(o.key(), List.of(o.grammars()));
            }
        }
        return Map.copyOf(all);
    }

    private static Map<String, Object> withOptionDefaults(Map<String, Object> defaults) {
        Map<String, Object> all = new HashMap<>(defaults);
        for (ContainerOption o : ContainerOption.values()) {
            Object unset = ContainerOptions.unset(o);
            if (unset != null) {
                all.put(o.key(), unset);
            }
        }
        return Map.copyOf(all);
    }

    /** Parses spec text; {@code source} names it in messages (a file name). */
    public static ContainerSpec parse(String json, String source) {
        JsonObject o = readObject(json, source);
        Set<String> unknown = new TreeSet<>(o.keySet());
        unknown.removeAll(FIELDS.keySet());
        if (!unknown.isEmpty()) {
            List<String> shown = new ArrayList<>();
            for (String key : unknown) {
                if (shown.size() == 5) {
                    break;
                }
                shown.add(Tags.printable(key));
            }
            throw bad(source, String.join(", ", shown) + (unknown.size() > 5 ? ", ..." : ""), "unknown field (known: " + String.join(", ", new TreeSet<>(FIELDS.keySet())) + ")");
        }
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            checkKind(source, e.getKey(), FIELDS.get(e.getKey()), e.getValue());
        }
        Fields f = new Fields(o, source);
        String name = f.required("name");
        f.check("name", name, NAME, "must be a letter, then letters, digits, _ or - (two characters or more), and not purge");
        String where = source + " (container " + name + ")";
        f = new Fields(o, where);

        String image = f.required("image");
        f.check("image", image, IMAGE, "must be an image name without tag in Docker's grammar, like registry.example.com:5000/team/app"
                + " (lower-case path; a registry needs a dot, a port or to be localhost; at most 255 characters)");
        String tag = f.string("image_tag", ContainerSpec.DEFAULT_TAG);
        if (!Tags.PATTERN.matches(tag)) {
            throw bad(where, "image_tag", Tags.whyInvalid(tag));
        }
        String network = f.string("network", ContainerSpec.DEFAULT_NETWORK);
        f.check("network", network, NETWORK, "must match " + NETWORK.pattern());

        List<String> env = f.strings("environment");
        for (int i = 0; i < env.size(); i++) {
            if (!ENV.matches(env.get(i))) {
                throw bad(where, "environment", "entry " + (i + 1) + " is not KEY=value (KEY matches [A-Za-z_][A-Za-z0-9_]*, no NUL in the value)");
            }
        }
        List<VolumeSpec> volumes = f.volumes();
        List<PortSpec> ports = f.ports();

        KvLocation kv;
        try {
            KvLocation def = KvLocation.perContainer(name);
            kv = new KvLocation(f.string("kv_bucket", def.bucket()), f.string("kv_key", def.key()));
        } catch (IllegalArgumentException e) {
            throw bad(where, "kv_bucket/kv_key", e.getMessage());
        }
        String kvInterval = f.string("kv_interval", DEFAULT_KV_INTERVAL);
        f.check("kv_interval", kvInterval, DURATION, DURATION_PROBLEM);
        String checkInterval = f.string("check_interval", DEFAULT_CHECK_INTERVAL);
        f.check("check_interval", checkInterval, DURATION, DURATION_PROBLEM);
        int stopTimeout = f.integer("stop_timeout", ContainerSpec.DEFAULT_STOP_TIMEOUT);
        if (stopTimeout < STOP_TIMEOUT_MIN || stopTimeout > STOP_TIMEOUT_MAX) {
            throw bad(where, "stop_timeout", "must be " + STOP_TIMEOUT_MIN + " to " + STOP_TIMEOUT_MAX + " seconds, got " + stopTimeout);
        }
        String restartGovernor = f.string("restart_governor", null);
        String updateGovernor = f.string("update_governor", null);
        for (String g : new String[] {"restart_governor", "update_governor"}) {
            String v = f.string(g, null);
            if (v != null) {
                f.check(g, v, GOVERNOR, "must be a Choria Governor name (letters, digits, _ and -)");
            }
        }
        List<String> restartFiles = f.strings("restart_files");
        for (String p : restartFiles) {
            f.check("restart_files", p, ABSOLUTE, "entries must be absolute paths (no newline or NUL, not starting with //)");
        }

        return new ContainerSpec(name, image, tag,
                f.words("command"), f.words("entrypoint"), network,
                f.bool("syslog"), env, volumes, ports, f.bool("kv_update"), kv, kvInterval, checkInterval,
                stopTimeout, restartGovernor, updateGovernor, restartFiles, health(f), options(f), images(f));
    }

    private static final String DURATION_PROBLEM =
            "must be a duration like 10s, 5m or 1h, longer than 0 (at most 9999h, 999999m or 99999999s, no leading zero)";
    private static final String TIMEOUT_PROBLEM =
            "must be a duration like 10s, 5m or 1h, longer than 0 (at most 999h, 99999m or 9999999s, no leading zero)";
    private static final String PERIOD_PROBLEM =
            "must be a duration like 0s, 10s, 5m or 1h (at most 999h, 99999m or 9999999s, no leading zero)";
    private static final String PROBE_HOSTS = "HOST 127.0.0.1, localhost or [::1] and PORT 1-65535";

    /** The container options: each row of ContainerOption read, and checked against its patterns or its range. */
    private static ContainerOptions options(Fields f) {
        Object[] values = ContainerOptions.unset();
        for (ContainerOption o : ContainerOption.values()) {
            if (f.o().has(o.key())) {
                values[o.ordinal()] = option(f, o);
            }
        }
        String logDriver = (String) values[ContainerOption.LOG_DRIVER.ordinal()];
        if (f.bool("syslog") && logDriver != null && !"syslog".equals(logDriver)) {
            throw bad(f.where, "log_driver", "is '" + logDriver + "' but syslog is true: syslog: true means log_driver syslog; set one of them");
        }
        return new ContainerOptions(values);
    }

    /** One option the spec sets, checked: by its kind, against its row's patterns, ranges or (log_driver) names. */
    private static Object option(Fields f, ContainerOption o) {
        String key = o.key();
        if (o == ContainerOption.LOG_DRIVER) {
            String driver = f.string(key, null);
            if (!LOG_DRIVERS.contains(driver)) {
                throw bad(f.where, key, "must be one of " + String.join(", ", LOG_DRIVERS) + ", got '" + Tags.printable(driver) + "'");
            }
            return driver;
        }
        if (o == ContainerOption.CPUS) {
            BigDecimal cpus = f.o().get(key).getAsBigDecimal();
            if (cpus.compareTo(CPUS_MIN) < 0 || cpus.compareTo(CPUS_MAX) > 0) {
                throw bad(f.where, key, "must be a number of CPUs from " + CPUS_MIN + " to " + CPUS_MAX + ", got " + cpus.toPlainString());
            }
            return cpus;
        }
        if (o == ContainerOption.PIDS_LIMIT) {
            long v = f.integer(key, 0);
            if (v < PIDS_LIMIT_MIN || v > PIDS_LIMIT_MAX) {
                throw bad(f.where, key, "must be " + PIDS_LIMIT_MIN + " to " + PIDS_LIMIT_MAX + ", got " + v);
            }
            return v;
        }
        Kind kind = o.kind();
        if (kind == Kind.STRING) {
            return f.checked(key, o.grammar(0), o.problem());
        }
        if (kind == Kind.STRINGS) {
            return f.checkedList(key, o.problem(), o.grammars());
        }
        if (kind == Kind.STRING_MAP) {
            return f.checkedMap(key, o.grammar(0), o.grammar(1), o.problem(), o.grammar(1) == NO_NUL
                    ? "values must not hold NUL" : "values must not hold newline or NUL");
        }
        if (kind == Kind.BOOLEAN) {
            return f.bool(key);
        }
        throw new IllegalStateException("ContainerOption " + key + ": no reading for its kind " + kind);
    }

    private static ImagePolicy images(Fields f) {
        int keep = f.integer("keep_images", ImagePolicy.DEFAULT_KEEP_IMAGES);
        if (keep < ImagePolicy.KEEP_IMAGES_MIN || keep > ImagePolicy.KEEP_IMAGES_MAX) {
            throw bad(f.where, "keep_images", "must be " + ImagePolicy.KEEP_IMAGES_MIN + " to " + ImagePolicy.KEEP_IMAGES_MAX
                    + ", got " + keep);
        }
        String poll = f.string("image_poll", null);
        if (poll != null) {
            f.check("image_poll", poll, DURATION, DURATION_PROBLEM);
        }
        String minAge = f.string("min_image_age", ImagePolicy.DEFAULT_MIN_IMAGE_AGE);
        f.check("min_image_age", minAge, PERIOD, PERIOD_PROBLEM);
        return new ImagePolicy(keep, poll, seconds(minAge));
    }

    private static HealthSpec health(Fields f) {
        String url = f.string("health_http", null);
        if (url != null) {
            f.check("health_http", url, HEALTH_URL, "must be http://HOST:PORT[/PATH] with " + PROBE_HOSTS
                    + ", PATH in URI characters (%XX for others)");
        }
        int status = f.integer("health_status", HealthSpec.DEFAULT_HTTP_STATUS);
        if (f.o().has("health_status") && url == null) {
            throw bad(f.where, "health_status", "needs health_http");
        }
        if (status < HEALTH_STATUS_MIN || status > HEALTH_STATUS_MAX) {
            throw bad(f.where, "health_status", "must be an HTTP status " + HEALTH_STATUS_MIN + "-" + HEALTH_STATUS_MAX + ", got " + status);
        }
        String tcp = f.string("health_tcp", null);
        String tcpHost = null;
        int tcpPort = 0;
        if (tcp != null) {
            f.check("health_tcp", tcp, HEALTH_TCP, "must be PORT or HOST:PORT with " + PROBE_HOSTS);
            int colon = tcp.lastIndexOf(':');
            tcpHost = colon < 0 ? "127.0.0.1" : tcp.substring(0, colon).replace("[", "").replace("]", "");
            tcpPort = Integer.parseInt(tcp.substring(colon + 1));
        }
        String startTimeout = f.string("start_timeout", DEFAULT_START_TIMEOUT);
        f.check("start_timeout", startTimeout, TIMEOUT, TIMEOUT_PROBLEM);
        String minHealthy = f.string("min_healthy_time", DEFAULT_MIN_HEALTHY_TIME);
        f.check("min_healthy_time", minHealthy, PERIOD, PERIOD_PROBLEM);
        return new HealthSpec(url, status, tcpHost, tcpPort, f.words("health_command"), seconds(startTimeout), seconds(minHealthy));
    }

    /** The seconds in a duration that matched {@link #PERIOD} or {@link #TIMEOUT} (at most 9999999s). */
    public static long seconds(String duration) {
        long n = Long.parseLong(duration.substring(0, duration.length() - 1));
        return switch (duration.charAt(duration.length() - 1)) {
            case 'h' -> n * 3600;
            case 'm' -> n * 60;
            default -> n;
        };
    }

    private static JsonObject readObject(String json, String source) {
        // check reads the spec on every run: the lean reader's tree where it reads it, which is
        // gson's; gson's tree (or its error message) for the rest.
        JsonElement lean = LeanJson.parse(json);
        if (lean != null) {
            if (!lean.isJsonObject()) {
                throw HoistException.badInput(source + ": the spec must be a JSON object");
            }
            return lean.getAsJsonObject();
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
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
        // if, not a switch on the enum: that compiles to a class of its own (SpecParser$1), one more for check to load
        if (!hasKind(kind, v)) {
            throw bad(where, field, "must be " + (kind == Kind.STRING ? "a string"
                    : kind == Kind.BOOLEAN ? "true or false"
                    : kind == Kind.INTEGER ? "a whole number"
                    : kind == Kind.STRINGS ? "a list of strings"
                    : kind == Kind.WORDS ? "a string or a non-empty list of strings"
                    : kind == Kind.NUMBER ? "a number"
                    : "a hash of strings to strings"));
        }
    }

    private static boolean hasKind(Kind kind, JsonElement v) {
        if (kind == Kind.STRING) {
            return isString(v);
        }
        if (kind == Kind.BOOLEAN) {
            return v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean();
        }
        if (kind == Kind.INTEGER) {
            return v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsBigDecimal().stripTrailingZeros().scale() <= 0;
        }
        if (kind == Kind.STRINGS) {
            return isStrings(v);
        }
        if (kind == Kind.WORDS) {
            return isString(v) || isStrings(v) && v.getAsJsonArray().size() > 0;
        }
        if (kind == Kind.NUMBER) {
            return v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber();
        }
        return isStringMap(v); // STRING_MAP
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

    private static boolean isStringMap(JsonElement v) {
        if (!v.isJsonObject()) {
            return false;
        }
        for (Map.Entry<String, JsonElement> e : v.getAsJsonObject().entrySet()) {
            if (!isString(e.getValue())) {
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

        // volumes and ports in loops of their own: a method reference would start the JDK's
        // method-handle machinery on check's path.
        List<VolumeSpec> volumes() {
            List<VolumeSpec> out = new ArrayList<>();
            for (String s : strings("volumes")) {
                try {
                    out.add(VolumeSpec.parse(s));
                } catch (IllegalArgumentException e) {
                    throw bad(where, "volumes", e.getMessage());
                }
            }
            return List.copyOf(out);
        }

        List<PortSpec> ports() {
            List<PortSpec> out = new ArrayList<>();
            for (String s : strings("ports")) {
                try {
                    out.add(PortSpec.parse(s));
                } catch (IllegalArgumentException e) {
                    throw bad(where, "ports", e.getMessage());
                }
            }
            return List.copyOf(out);
        }

        /**
         * command/entrypoint/health_command: a list as given, or a string split like a shell splits
         * words; {@link #WORDS} and {@link #WORD} decide what is valid, Words.split says why not.
         */
        List<String> words(String field) {
            JsonElement v = o.get(field);
            if (v == null) {
                return null;
            }
            if (v.isJsonArray()) {
                List<String> items = strings(field);
                for (int i = 0; i < items.size(); i++) {
                    if (!WORD.matches(items.get(i))) {
                        throw bad(where, field, "item " + (i + 1) + " holds a NUL character");
                    }
                }
                return items;
            }
            String text = v.getAsString();
            if (!WORDS.matches(text)) {
                String why;
                try {
                    why = Words.split(text).isEmpty() ? "is empty (no word)" : "must not hold a NUL character";
                } catch (IllegalArgumentException e) {
                    why = "cannot be split into words: " + e.getMessage();
                }
                throw bad(where, field, why);
            }
            return List.copyOf(Words.split(text));
        }

        /** An optional string field checked against its pattern: null when absent. */
        String checked(String field, Grammar p, String problem) {
            String v = string(field, null);
            if (v != null) {
                check(field, v, p, problem);
            }
            return v;
        }

        /** A list field whose items must each match one of the patterns; messages name the item by position. */
        List<String> checkedList(String field, String what, Grammar... patterns) {
            List<String> items = strings(field);
            for (int i = 0; i < items.size(); i++) {
                String item = items.get(i);
                boolean ok = false;
                for (Grammar p : patterns) {
                    ok = ok || p.matches(item);
                }
                if (!ok) {
                    throw bad(where, field, "item " + (i + 1) + " must be " + what + ", got '" + Tags.printable(item) + "'");
                }
            }
            return items;
        }

        /** A hash of strings to strings, keys and values checked; values are never printed (they may be long or secret-ish). */
        Map<String, String> checkedMap(String field, Grammar key, Grammar value, String keyProblem, String valueProblem) {
            JsonElement v = o.get(field);
            Map<String, String> out = new TreeMap<>();
            if (v != null) {
                for (Map.Entry<String, JsonElement> e : v.getAsJsonObject().entrySet()) {
                    if (!key.matches(e.getKey())) {
                        throw bad(where, field, keyProblem + ", got key '" + Tags.printable(e.getKey()) + "'");
                    }
                    if (!value.matches(e.getValue().getAsString())) {
                        throw bad(where, field, valueProblem + " (key '" + Tags.printable(e.getKey()) + "')");
                    }
                    out.put(e.getKey(), e.getValue().getAsString());
                }
            }
            return Collections.unmodifiableMap(out);
        }

        void check(String field, String value, Grammar p, String problem) {
            if (!p.matches(value)) {
                throw bad(where, field, problem + ", got '" + Tags.printable(value) + "'");
            }
        }
    }
}
