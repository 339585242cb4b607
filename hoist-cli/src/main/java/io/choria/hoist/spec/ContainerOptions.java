package io.choria.hoist.spec;

import io.choria.hoist.spec.SpecParser.Kind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The container options of a spec, the keys that are {@code docker run} flags (the rows of
 * {@link ContainerOption}), as {@link SpecParser} validated them: values as container.json writes them
 * (sizes as {@code 512m}, cpus as a decimal), {@code null} or empty when unset. Each one's default is
 * Docker's own, so an unset option is never sent to the Engine. Its spec hash part
 * ({@link #canonical()}), what {@code status} shows ({@link #shown()}) and what the Engine is sent
 * ({@link #engineValue}) walk the rows, each by its row's form.
 *
 * <p>The log driver is not resolved here: {@code syslog: true} is its shorthand, which the plan
 * combines with these ({@code docker/ContainerPlan#logDriver}).
 */
public final class ContainerOptions {
    private static final ContainerOption[] ROWS = ContainerOption.values();

    /** No option set: what a spec without any of the keys gives. */
    public static final ContainerOptions NONE = new ContainerOptions(unset());

    /** Each row's value, by ordinal: a String, BigDecimal, Long, Boolean, List or Map as its kind says. */
    private final Object[] values;

    ContainerOptions(Object[] values) {
        this.values = values.clone();
    }

    /** The value of every row unset: null, an empty list or hash, or false. */
    static Object[] unset() {
        Object[] v = new Object[ROWS.length];
        for (ContainerOption o : ROWS) {
            v[o.ordinal()] = unset(o);
        }
        return v;
    }

    /** A row's value when its key is absent: what SpecParser.DEFAULTS says, or null. */
    static Object unset(ContainerOption o) {
        // if, not a switch: a switch on an enum compiles to one more class, which check would load
        Kind k = o.kind();
        return k == Kind.STRINGS ? List.of() : k == Kind.STRING_MAP ? Map.of() : k == Kind.BOOLEAN ? Boolean.FALSE : null;
    }

    /** The value of a row, as {@link #unset(ContainerOption)} when the spec leaves it out. */
    public Object get(ContainerOption o) {
        return values[o.ordinal()];
    }

    /** Whether the spec sets the row: a value, a non-empty list or hash, or true. */
    public boolean isSet(ContainerOption o) {
        Object v = values[o.ordinal()];
        return v != null && !Boolean.FALSE.equals(v) && !(v instanceof List<?> l && l.isEmpty()) && !(v instanceof Map<?, ?> m && m.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private List<String> list(ContainerOption o) {
        return (List<String>) values[o.ordinal()];
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> map(ContainerOption o) {
        return (Map<String, String>) values[o.ordinal()];
    }

    /** {@code labels}: the spec's own container labels. */
    public Map<String, String> labels() {
        return map(ContainerOption.LABELS);
    }

    /** {@code log_driver}, or null. */
    public String logDriver() {
        return (String) get(ContainerOption.LOG_DRIVER);
    }

    /** {@code log_opts}. */
    public Map<String, String> logOpts() {
        return map(ContainerOption.LOG_OPTS);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContainerOptions o && Arrays.equals(values, o.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ContainerOptions" + shown();
    }

    /** A size as {@link SpecParser#SIZE} matched it, in bytes: {@code 512m} is 536870912. */
    public static long bytes(String size) {
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        long shift = switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = Character.isDigit(size.charAt(size.length() - 1)) ? size : size.substring(0, size.length() - 1);
        return Long.parseLong(digits) << shift;
    }

    /** {@code cpus} in billionths of a CPU (the Engine's NanoCpus), rounded half up. */
    public static long nanoCpus(BigDecimal cpus) {
        return cpus.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** A capability as the Engine and docker-java name it: without {@code CAP_}. */
    public static String capability(String name) {
        return name.startsWith("CAP_") ? name.substring(4) : name;
    }

    /** The tmpfs mounts by path, options after the first {@code :} (empty when none); of two entries for a path the later wins, as with docker run. */
    public Map<String, String> tmpfsMounts() {
        Map<String, String> out = new TreeMap<>();
        for (String t : list(ContainerOption.TMPFS)) {
            int colon = t.indexOf(':');
            out.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
        }
        return out;
    }

    /** A ulimit entry {@code NAME=SOFT[:HARD]}: {name, soft, hard}, HARD being SOFT when left out. */
    public record Ulimit(String name, long soft, long hard) {
        static Ulimit parse(String s) {
            int eq = s.indexOf('=');
            String[] limits = s.substring(eq + 1).split(":");
            long soft = Long.parseLong(limits[0]);
            return new Ulimit(s.substring(0, eq), soft, limits.length > 1 ? Long.parseLong(limits[1]) : soft);
        }
    }

    public List<Ulimit> ulimitList() {
        List<Ulimit> out = new ArrayList<>();
        for (String u : list(ContainerOption.ULIMITS)) {
            out.add(Ulimit.parse(u));
        }
        return out;
    }

    /** A device entry {@code /dev/HOST[:/dev/CONTAINER][:PERMISSIONS]}, with docker run's defaults filled in. */
    public record Device(String host, String container, String permissions) {
        static Device parse(String s) {
            String[] parts = s.split(":", -1);
            String host = parts[0];
            String container = host;
            String permissions = "rwm";
            if (parts.length == 3) {
                container = parts[1];
                permissions = parts[2];
            } else if (parts.length == 2) {
                if (parts[1].startsWith("/")) {
                    container = parts[1];
                } else {
                    permissions = parts[1];
                }
            }
            return new Device(host, container, permissions);
        }

        @Override
        public String toString() {
            return host + ":" + container + ":" + permissions;
        }
    }

    public List<Device> deviceList() {
        List<Device> out = new ArrayList<>();
        for (String d : list(ContainerOption.DEVICES)) {
            out.add(Device.parse(d));
        }
        return out;
    }

    /**
     * The options set, by container.json name, in one spelling each (sizes in bytes, cpus in
     * NanoCpus, capabilities without {@code CAP_}, devices with their defaults filled in, tmpfs by path):
     * what the spec hash covers. Only the options that differ from their defaults are in it, so a spec
     * that sets none has none, and containers made before these keys existed keep their hash. The log
     * driver is the plan's to add (syslog).
     */
    public SortedMap<String, Object> canonical() {
        // Every check computes it (the spec hash): loops, not streams or lambdas (see Grammar).
        SortedMap<String, Object> m = new TreeMap<>();
        for (ContainerOption o : ROWS) {
            if (o.form() != ContainerOption.LOG && isSet(o)) {
                m.put(o.key(), canonical(o));
            }
        }
        return m;
    }

    private Object canonical(ContainerOption o) {
        Object v = values[o.ordinal()];
        switch (o.form()) {
            case ContainerOption.SIZE:
                return bytes((String) v);
            case ContainerOption.NANO_CPUS:
                return nanoCpus((BigDecimal) v);
            case ContainerOption.MAP:
                return new TreeMap<>(map(o));
            case ContainerOption.CAPABILITIES:
                return capabilities(list(o));
            case ContainerOption.TMPFS_MOUNTS:
                return tmpfsMounts();
            case ContainerOption.ULIMIT_LIST: {
                List<String> limits = new ArrayList<>();
                for (Ulimit u : ulimitList()) {
                    limits.add(u.name() + "=" + u.soft() + ":" + u.hard());
                }
                return limits;
            }
            case ContainerOption.DEVICE_LIST: {
                List<String> devs = new ArrayList<>();
                for (Device d : deviceList()) {
                    devs.add(d.toString());
                }
                return devs;
            }
            default: // TEXT, NUMBER, LIST, FLAG: as written
                return v;
        }
    }

    private static List<String> capabilities(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String c : names) {
            out.add(capability(c));
        }
        return out;
    }

    /** The options set, as container.json writes them, in the schema's order: what {@code status} shows. */
    public Map<String, Object> shown() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (ContainerOption o : ROWS) {
            if (isSet(o)) {
                Object v = values[o.ordinal()];
                m.put(o.key(), v instanceof BigDecimal d ? d.toPlainString() : v instanceof Map<?, ?> map ? new TreeMap<>(map) : v);
            }
        }
        return m;
    }

    /**
     * What the Engine is sent for a row the spec sets, in the Engine API's JSON for {@link ContainerOption#engine()}:
     * sizes and cpus as numbers, capabilities without {@code CAP_}, tmpfs by path, ulimits as
     * {@code {Name, Soft, Hard}}, devices as {@code {PathOnHost, PathInContainer, CgroupPermissions}}.
     * Null for a row the spec leaves unset: the Engine's default, never sent.
     */
    public Object engineValue(ContainerOption o) {
        if (!isSet(o)) {
            return null;
        }
        if (o.form() == ContainerOption.ULIMIT_LIST) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Ulimit u : ulimitList()) {
                out.add(Map.of("Name", u.name(), "Soft", u.soft(), "Hard", u.hard()));
            }
            return out;
        }
        if (o.form() == ContainerOption.DEVICE_LIST) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Device d : deviceList()) {
                out.add(Map.of("PathOnHost", d.host(), "PathInContainer", d.container(), "CgroupPermissions", d.permissions()));
            }
            return out;
        }
        return canonical(o);
    }
}
