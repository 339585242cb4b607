package io.choria.hoist.spec;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;
import io.choria.hoist.HoistException;
import io.choria.hoist.startup.LeanJson;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses and validates {@code container.json} strictly: unknown fields, wrong types and bad
 * values are errors that name the field. The one place a {@link ContainerSpec} is made.
 *
 * <p>Environment values may be secrets: messages name the entry's position and key, never its value.
 */
public final class SpecParser {
    // The patterns are schema/container-spec.v1.json's, character for character (SpecContractTest
    // compares them), composed here from the fragments they share. They use only syntax on which
    // ECMA-262, Java, Ruby and Python agree; always matched whole, by Grammar's hand matchers where
    // they can (check validates every spec, and compiling these cost more than the rest of it).

    /** A port 1-65535, no leading zero. */
    private static final String PORT = "(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
    /** An IPv4 address as Go's net.ParseIP takes it: no leading zeros. */
    static final String IPV4 = OCTET + "(?:\\." + OCTET + "){3}";
    private static final String H16 = "[0-9a-fA-F]{1,4}";
    private static final String LS32 = "(?:" + H16 + ":" + H16 + "|" + IPV4 + ")";
    /** RFC 3986's IPv6address: the set Go's net.ParseIP takes (no zone). */
    static final String IPV6 = "(?:(?:" + H16 + ":){6}" + LS32
            + "|::(?:" + H16 + ":){5}" + LS32
            + "|(?:" + H16 + ")?::(?:" + H16 + ":){4}" + LS32
            + "|(?:(?:" + H16 + ":){0,1}" + H16 + ")?::(?:" + H16 + ":){3}" + LS32
            + "|(?:(?:" + H16 + ":){0,2}" + H16 + ")?::(?:" + H16 + ":){2}" + LS32
            + "|(?:(?:" + H16 + ":){0,3}" + H16 + ")?::" + H16 + ":" + LS32
            + "|(?:(?:" + H16 + ":){0,4}" + H16 + ")?::" + LS32
            + "|(?:(?:" + H16 + ":){0,5}" + H16 + ")?::" + H16
            + "|(?:(?:" + H16 + ":){0,6}" + H16 + ")?::)";
    private static final String LOOPBACK = "(?:127\\.0\\.0\\.1|localhost|\\[::1\\])";
    private static final String DOMAIN_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    /** What Words.split (Character.isWhitespace) splits at. */
    /** The blanks between the words of a command string ({@link Words}): space, tab, LF, VT, FF, CR. */
    private static final String SPACE = "\\x09-\\x0D\\x20";
    private static final String SINGLE_QUOTED = "'[^'\\x00]*'";
    private static final String DOUBLE_QUOTED = "\"(?:[^\"\\\\\\x00]|\\\\[^\\x00])*\"";

    /** Container names: what Choria accepts in a machine name; {@code purge} is the purge machine's. */
    public static final Grammar NAME = Grammar.of(Grammar.NAME, "^(?!purge$)[a-zA-Z][a-zA-Z0-9_-]+$");

    /**
     * Why NAME is refused, in words rather than {@link #NAME}'s expression: what an operator who typed
     * a bad name needs to read.
     */
    public static String notAName(String printableName) {
        return "'" + printableName + "' is not a container name: a name is a letter followed by at least one more letter, digit, '_' or '-' "
                + "(the container and its machine are hoist_NAME), and 'purge' is reserved";
    }
    /** Docker's reference grammar: a registry only with a dot or a port, or localhost; at most 255 characters. */
    public static final Grammar IMAGE = Grammar.of(Grammar.IMAGE, "^(?=[a-zA-Z0-9._:/-]{1,255}$)(?:(?:"
            + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")+(?::" + PORT + ")?|" + DOMAIN_COMPONENT + ":" + PORT + "|localhost)/)?"
            + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*$");
    public static final Grammar NETWORK = Grammar.of(Grammar.NETWORK, "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$");
    public static final Grammar ENV = Grammar.of(Grammar.ENV, "^[A-Za-z_][A-Za-z0-9_]*=[^\\x00]*$");
    /** A positive Choria duration, far below Go's time.ParseDuration maximum (2562047h). */
    public static final Grammar DURATION = Grammar.of(Grammar.DURATION, "^(?:[1-9][0-9]{0,3}h|[1-9][0-9]{0,5}m|[1-9][0-9]{0,7}s)$");
    /**
     * A positive time hoist-cli waits: shorter than a {@link #DURATION}, so that the machine's
     * remediate timeout, start_timeout + min_healthy_time + stop_timeout + 120 s, is a DURATION.
     */
    public static final Grammar TIMEOUT = Grammar.of(Grammar.TIMEOUT, "^(?:[1-9][0-9]{0,2}h|[1-9][0-9]{0,4}m|[1-9][0-9]{0,6}s)$");
    /** A time hoist-cli waits that may be zero. */
    public static final Grammar PERIOD = Grammar.of(Grammar.PERIOD, "^(?:(?:0|[1-9][0-9]{0,2})h|(?:0|[1-9][0-9]{0,4})m|(?:0|[1-9][0-9]{0,6})s)$");
    /** Choria Governor names: the portable subset of what makes a JetStream stream name. */
    public static final Grammar GOVERNOR = Grammar.of(Grammar.GOVERNOR, "^[a-zA-Z0-9_-]+$");
    /** Absolute paths as Stdlib::Unixpath takes them: no newline or NUL, not starting with //. */
    public static final Grammar ABSOLUTE = Grammar.of(Grammar.ABSOLUTE, "^/(?:[^\\n/\\x00][^\\n\\x00]*)?$");
    public static final Grammar HEALTH_URL = Grammar.of(Grammar.HEALTH_URL, "^http://" + LOOPBACK + ":" + PORT
            + "(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$");
    public static final Grammar HEALTH_TCP = Grammar.of(Grammar.HEALTH_TCP, "^(?:" + LOOPBACK + ":)?" + PORT + "$");
    /** A command string {@link Words#split} splits into at least one word, without NUL. */
    public static final Grammar WORDS = Grammar.of(Grammar.WORDS, "^(?:[" + SPACE + "]|\\\\\\n)*"
            + "(?:[^'\"\\\\\\x00" + SPACE + "]|" + SINGLE_QUOTED + "|" + DOUBLE_QUOTED + "|\\\\[^\\n\\x00])"
            + "(?:[^'\"\\\\\\x00]|" + SINGLE_QUOTED + "|" + DOUBLE_QUOTED + "|\\\\[^\\x00])*$");
    /** An item of a command list: anything but NUL. */
    public static final Grammar WORD = Grammar.of(Grammar.WORD, "^[^\\x00]*$");
    /** A published port: {@code [IP:]HOSTPORT:CONTAINERPORT[/PROTO]}. */
    public static final Grammar PORTS = Grammar.of(Grammar.PORTS, "^(?:" + IPV4 + ":|\\[" + IPV6 + "\\]:)?" + PORT + ":" + PORT + "(?:/(?:tcp|udp|sctp))?$");
    public static final Grammar VOLUME = Grammar.of(Grammar.VOLUME, "^/[^:\\n\\x00]*:/[^:\\n\\x00]*(?::(?:ro|rw))?$");

    // The container options (memory ... sysctls).
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String CPU = "(?:0|[1-9][0-9]{0,3})";
    /** A user or group: a name of up to 32 characters, or a number without leading zero. */
    private static final String IDENT = "(?:[a-zA-Z_][a-zA-Z0-9_.-]{0,31}|0|[1-9][0-9]{0,8})";
    private static final String ULIMIT_VALUE = "(?:-1|0|[1-9][0-9]{0,17})";
    /** Every capability Linux has (docker-java's Capability enum less ALL). */
    private static final String CAPABILITIES = "AUDIT_CONTROL|AUDIT_READ|AUDIT_WRITE|BLOCK_SUSPEND|BPF|CHECKPOINT_RESTORE|CHOWN"
            + "|DAC_OVERRIDE|DAC_READ_SEARCH|FOWNER|FSETID|IPC_LOCK|IPC_OWNER|KILL|LEASE|LINUX_IMMUTABLE|MAC_ADMIN|MAC_OVERRIDE"
            + "|MKNOD|NET_ADMIN|NET_BIND_SERVICE|NET_BROADCAST|NET_RAW|PERFMON|SETFCAP|SETGID|SETPCAP|SETUID|SYS_ADMIN|SYS_BOOT"
            + "|SYS_CHROOT|SYSLOG|SYS_MODULE|SYS_NICE|SYS_PACCT|SYS_PTRACE|SYS_RAWIO|SYS_RESOURCE|SYS_TIME|SYS_TTY_CONFIG|WAKE_ALARM";
    /** A size as docker run reads one (512m, 1g, bytes), bounded below 2^63 bytes. */
    public static final Grammar SIZE = Grammar.of(Grammar.EXPRESSION, "^(?:[1-9][0-9]{0,17}[bB]?|[1-9][0-9]{0,14}[kK]|[1-9][0-9]{0,11}[mM]|[1-9][0-9]{0,8}[gG])$");
    public static final Grammar CPUSET = Grammar.of(Grammar.EXPRESSION, "^" + CPU + "(?:-" + CPU + ")?(?:," + CPU + "(?:-" + CPU + ")?)*$");
    public static final Grammar USER = Grammar.of(Grammar.EXPRESSION, "^" + IDENT + "(?::" + IDENT + ")?$");
    public static final Grammar GROUP = Grammar.of(Grammar.EXPRESSION, "^" + IDENT + "$");
    public static final Grammar HOSTNAME = Grammar.of(Grammar.EXPRESSION, "^(?=[a-zA-Z0-9.-]{1,63}$)" + DOMAIN + "$");
    public static final Grammar IP_V4 = Grammar.of(Grammar.EXPRESSION, "^" + IPV4 + "$");
    public static final Grammar IP_V6 = Grammar.of(Grammar.EXPRESSION, "^" + IPV6 + "$");
    public static final Grammar DOMAIN_NAME = Grammar.of(Grammar.EXPRESSION, "^(?=[a-zA-Z0-9.-]{1,253}$)" + DOMAIN + "$");
    public static final Grammar EXTRA_HOST = Grammar.of(Grammar.EXPRESSION, "^" + DOMAIN + ":(?:host-gateway|" + IPV4 + "|" + IPV6 + ")$");
    /** A label key; {@code io.choria.hoist.} is Hoist's own (docker/Labels.PREFIX). */
    public static final Grammar LABEL_KEY = Grammar.of(Grammar.EXPRESSION, "^(?!io\\.choria\\.hoist\\.)[a-zA-Z0-9][a-zA-Z0-9._/-]{0,127}$");
    /** A label or log option value: anything but NUL. */
    public static final Grammar NO_NUL = WORD;
    public static final Grammar LOG_OPT_KEY = Grammar.of(Grammar.EXPRESSION, "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$");
    public static final Grammar CAPABILITY = Grammar.of(Grammar.EXPRESSION, "^(?:ALL|(?:CAP_)?(?:" + CAPABILITIES + "))$");
    public static final Grammar TMPFS = Grammar.of(Grammar.EXPRESSION, "^/[^:\\n\\x00]*(?::[a-zA-Z0-9_=.+-]+(?:,[a-zA-Z0-9_=.+-]+)*)?$");
    public static final Grammar ULIMIT = Grammar.of(Grammar.EXPRESSION, "^(?:core|cpu|data|fsize|locks|memlock|msgqueue|nice|nofile|nproc|rss|rtprio|rttime"
            + "|sigpending|stack)=" + ULIMIT_VALUE + "(?::" + ULIMIT_VALUE + ")?$");
    public static final Grammar DEVICE = Grammar.of(Grammar.EXPRESSION, "^/[^:\\n\\x00]*(?::/[^:\\n\\x00]*)?(?::[rwm]{1,3})?$");
    public static final Grammar SIGNAL = Grammar.of(Grammar.EXPRESSION, "^(?:(?:SIG)?[A-Z][A-Z0-9]{1,9}(?:[+-][0-9]{1,2})?|[1-9][0-9]?)$");
    public static final Grammar SYSCTL_KEY = Grammar.of(Grammar.EXPRESSION, "^[a-z][a-z0-9_]*(?:\\.[a-zA-Z0-9_-]+)+$");
    public static final Grammar SYSCTL_VALUE = Grammar.of(Grammar.EXPRESSION, "^[^\\n\\x00]*$");
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

    /** Every field container.json may hold, with its JSON type. */
    public static final Map<String, Kind> FIELDS = Map.ofEntries(
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
            Map.entry("min_healthy_time", Kind.STRING),
            Map.entry("memory", Kind.STRING),
            Map.entry("memory_reservation", Kind.STRING),
            Map.entry("cpus", Kind.NUMBER),
            Map.entry("cpuset", Kind.STRING),
            Map.entry("pids_limit", Kind.INTEGER),
            Map.entry("user", Kind.STRING),
            Map.entry("group_add", Kind.STRINGS),
            Map.entry("hostname", Kind.STRING),
            Map.entry("dns", Kind.STRINGS),
            Map.entry("dns_search", Kind.STRINGS),
            Map.entry("extra_hosts", Kind.STRINGS),
            Map.entry("labels", Kind.STRING_MAP),
            Map.entry("log_driver", Kind.STRING),
            Map.entry("log_opts", Kind.STRING_MAP),
            Map.entry("cap_add", Kind.STRINGS),
            Map.entry("cap_drop", Kind.STRINGS),
            Map.entry("privileged", Kind.BOOLEAN),
            Map.entry("read_only", Kind.BOOLEAN),
            Map.entry("tmpfs", Kind.STRINGS),
            Map.entry("ulimits", Kind.STRINGS),
            Map.entry("devices", Kind.STRINGS),
            Map.entry("working_dir", Kind.STRING),
            Map.entry("stop_signal", Kind.STRING),
            Map.entry("init", Kind.BOOLEAN),
            Map.entry("shm_size", Kind.STRING),
            Map.entry("sysctls", Kind.STRING_MAP));

    /** The fields that must be there. */
    public static final Set<String> REQUIRED = Set.of("name", "image");

    /**
     * Each field's patterns: a string field's, a list's items', and for a command the string's
     * and then the list items'.
     */
    public static final Map<String, List<Grammar>> PATTERNS = Map.ofEntries(
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
            Map.entry("min_healthy_time", List.of(PERIOD)),
            Map.entry("memory", List.of(SIZE)),
            Map.entry("memory_reservation", List.of(SIZE)),
            Map.entry("cpuset", List.of(CPUSET)),
            Map.entry("user", List.of(USER)),
            Map.entry("group_add", List.of(GROUP)),
            Map.entry("hostname", List.of(HOSTNAME)),
            Map.entry("dns", List.of(IP_V4, IP_V6)),
            Map.entry("dns_search", List.of(DOMAIN_NAME)),
            Map.entry("extra_hosts", List.of(EXTRA_HOST)),
            Map.entry("labels", List.of(LABEL_KEY, NO_NUL)),
            Map.entry("log_opts", List.of(LOG_OPT_KEY, NO_NUL)),
            Map.entry("cap_add", List.of(CAPABILITY)),
            Map.entry("cap_drop", List.of(CAPABILITY)),
            Map.entry("tmpfs", List.of(TMPFS)),
            Map.entry("ulimits", List.of(ULIMIT)),
            Map.entry("devices", List.of(DEVICE)),
            Map.entry("working_dir", List.of(ABSOLUTE)),
            Map.entry("stop_signal", List.of(SIGNAL)),
            Map.entry("shm_size", List.of(SIZE)),
            Map.entry("sysctls", List.of(SYSCTL_KEY, SYSCTL_VALUE)));

    public static final String DEFAULT_KV_INTERVAL = "10s";
    public static final String DEFAULT_CHECK_INTERVAL = "2m";
    public static final String DEFAULT_START_TIMEOUT = "60s";
    /** {@link #DEFAULT_START_TIMEOUT} in seconds, as {@link HealthSpec#startTimeoutSeconds()} holds it. */
    public static final long DEFAULT_START_TIMEOUT_SECONDS = seconds(DEFAULT_START_TIMEOUT);
    public static final String DEFAULT_MIN_HEALTHY_TIME = "1s";

    /**
     * What an absent field means, where that is a value (kv_bucket's, HOIST_NAME, is
     * {@link KvLocation#perContainer}); the schema's {@code default}s.
     */
    public static final Map<String, Object> DEFAULTS = Map.ofEntries(
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
            Map.entry("min_healthy_time", DEFAULT_MIN_HEALTHY_TIME),
            Map.entry("group_add", List.of()),
            Map.entry("dns", List.of()),
            Map.entry("dns_search", List.of()),
            Map.entry("extra_hosts", List.of()),
            Map.entry("labels", Map.of()),
            Map.entry("log_opts", Map.of()),
            Map.entry("cap_add", List.of()),
            Map.entry("cap_drop", List.of()),
            Map.entry("privileged", false),
            Map.entry("read_only", false),
            Map.entry("tmpfs", List.of()),
            Map.entry("ulimits", List.of()),
            Map.entry("devices", List.of()),
            Map.entry("init", false),
            Map.entry("sysctls", Map.of()));

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

    private static final String SIZE_PROBLEM = "must be a size like 512m, 1g or 1073741824 (a whole number, no leading zero,"
            + " and b, k, m or g or no unit; at most 18 digits of bytes, 15 of k, 12 of m, 9 of g)";

    /** The container options: each checked against its pattern, or its range, here. */
    private static ContainerOptions options(Fields f) {
        String memory = f.checked("memory", SIZE, SIZE_PROBLEM);
        String reservation = f.checked("memory_reservation", SIZE, SIZE_PROBLEM);
        BigDecimal cpus = null;
        if (f.o().has("cpus")) {
            cpus = f.o().get("cpus").getAsBigDecimal();
            if (cpus.compareTo(CPUS_MIN) < 0 || cpus.compareTo(CPUS_MAX) > 0) {
                throw bad(f.where, "cpus", "must be a number of CPUs from " + CPUS_MIN + " to " + CPUS_MAX + ", got " + cpus.toPlainString());
            }
        }
        String cpuset = f.checked("cpuset", CPUSET, "must be CPU numbers and ranges like 0-3,6");
        Long pids = null;
        if (f.o().has("pids_limit")) {
            long v = f.integer("pids_limit", 0);
            if (v < PIDS_LIMIT_MIN || v > PIDS_LIMIT_MAX) {
                throw bad(f.where, "pids_limit", "must be " + PIDS_LIMIT_MIN + " to " + PIDS_LIMIT_MAX + ", got " + v);
            }
            pids = v;
        }
        String user = f.checked("user", USER, "must be NAME, UID, NAME:GROUP or UID:GID");
        List<String> groups = f.checkedList("group_add", "a group name or GID", GROUP);
        String hostname = f.checked("hostname", HOSTNAME, "must be DNS labels joined by dots, at most 63 characters");
        List<String> dns = f.checkedList("dns", "an IPv4 or IPv6 address", IP_V4, IP_V6);
        List<String> dnsSearch = f.checkedList("dns_search", "a domain name", DOMAIN_NAME);
        List<String> extraHosts = f.checkedList("extra_hosts", "HOSTNAME:IP (IPv4, IPv6 unbracketed, or host-gateway)", EXTRA_HOST);
        Map<String, String> labels = f.checkedMap("labels", LABEL_KEY, NO_NUL,
                "keys must be letters, digits, . _ / - (a letter or digit first, at most 128 characters), not starting io.choria.hoist.",
                "values must not hold NUL");
        String logDriver = f.string("log_driver", null);
        if (logDriver != null && !LOG_DRIVERS.contains(logDriver)) {
            throw bad(f.where, "log_driver", "must be one of " + String.join(", ", LOG_DRIVERS) + ", got '" + Tags.printable(logDriver) + "'");
        }
        if (f.bool("syslog") && logDriver != null && !"syslog".equals(logDriver)) {
            throw bad(f.where, "log_driver", "is '" + logDriver + "' but syslog is true: syslog: true means log_driver syslog; set one of them");
        }
        Map<String, String> logOpts = f.checkedMap("log_opts", LOG_OPT_KEY, NO_NUL,
                "keys must be letters, digits, _ . - (a letter or digit first, at most 64 characters)", "values must not hold NUL");
        List<String> capAdd = f.checkedList("cap_add", "ALL or a capability in upper case, with or without CAP_", CAPABILITY);
        List<String> capDrop = f.checkedList("cap_drop", "ALL or a capability in upper case, with or without CAP_", CAPABILITY);
        List<String> tmpfs = f.checkedList("tmpfs", "/path[:OPTIONS], OPTIONS joined by commas", TMPFS);
        List<String> ulimits = f.checkedList("ulimits", "NAME=SOFT[:HARD] with a Linux limit NAME and -1 to 18 digits", ULIMIT);
        List<String> devices = f.checkedList("devices", "/dev/HOST[:/dev/CONTAINER][:PERMISSIONS of r, w, m]", DEVICE);
        String workingDir = f.checked("working_dir", ABSOLUTE, "must be an absolute path (no newline or NUL, not starting with //)");
        String stopSignal = f.checked("stop_signal", SIGNAL, "must be a signal name like SIGQUIT or QUIT, or a number 1-99");
        String shmSize = f.checked("shm_size", SIZE, SIZE_PROBLEM);
        Map<String, String> sysctls = f.checkedMap("sysctls", SYSCTL_KEY, SYSCTL_VALUE,
                "keys must be dotted kernel parameter names like net.ipv4.ip_unprivileged_port_start", "values must not hold newline or NUL");
        return new ContainerOptions(memory, reservation, cpus, cpuset, pids, user, groups, hostname, dns, dnsSearch, extraHosts,
                labels, logDriver, logOpts, capAdd, capDrop, f.bool("privileged"), f.bool("read_only"), tmpfs, ulimits, devices,
                workingDir, stopSignal, f.bool("init"), shmSize, sysctls);
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
            case NUMBER -> v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber();
            case STRING_MAP -> isStringMap(v);
        };
        if (!ok) {
            String expected = switch (kind) {
                case STRING -> "a string";
                case BOOLEAN -> "true or false";
                case INTEGER -> "a whole number";
                case STRINGS -> "a list of strings";
                case WORDS -> "a string or a non-empty list of strings";
                case NUMBER -> "a number";
                case STRING_MAP -> "a hash of strings to strings";
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
            Map<String, String> out = new java.util.TreeMap<>();
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
            return java.util.Collections.unmodifiableMap(out);
        }

        void check(String field, String value, Grammar p, String problem) {
            if (!p.matches(value)) {
                throw bad(where, field, problem + ", got '" + Tags.printable(value) + "'");
            }
        }
    }
}
