package io.choria.hoist.spec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The container options of a spec, the keys that are {@code docker run} flags (memory ... sysctls in
 * schema/container-spec.v1.json), as {@link SpecParser} validated them: values as container.json
 * writes them (sizes as {@code 512m}, cpus as a decimal), {@code null} or empty when unset. Each
 * one's default is Docker's own, so an unset option is never sent to the Engine.
 *
 * <p>The log driver is not resolved here: {@code syslog: true} is its shorthand, which the plan
 * combines with these ({@code docker/ContainerPlan#logDriver}).
 */
public record ContainerOptions(
        String memory,
        String memoryReservation,
        BigDecimal cpus,
        String cpuset,
        Long pidsLimit,
        String user,
        List<String> groupAdd,
        String hostname,
        List<String> dns,
        List<String> dnsSearch,
        List<String> extraHosts,
        Map<String, String> labels,
        String logDriver,
        Map<String, String> logOpts,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        boolean readOnly,
        List<String> tmpfs,
        List<String> ulimits,
        List<String> devices,
        String workingDir,
        String stopSignal,
        boolean init,
        String shmSize,
        Map<String, String> sysctls) {

    /** No option set: what a spec without any of the keys gives. */
    public static final ContainerOptions NONE = new ContainerOptions(null, null, null, null, null, null, List.of(), null,
            List.of(), List.of(), List.of(), Map.of(), null, Map.of(), List.of(), List.of(), false, false, List.of(),
            List.of(), List.of(), null, null, false, null, Map.of());

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
        for (String t : tmpfs) {
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
        List<Ulimit> out = new java.util.ArrayList<>();
        for (String u : ulimits) {
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
        List<Device> out = new java.util.ArrayList<>();
        for (String d : devices) {
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
        putSize(m, "memory", memory);
        putSize(m, "memory_reservation", memoryReservation);
        if (cpus != null) {
            m.put("cpus", nanoCpus(cpus));
        }
        putString(m, "cpuset", cpuset);
        if (pidsLimit != null) {
            m.put("pids_limit", pidsLimit);
        }
        putString(m, "user", user);
        putList(m, "group_add", groupAdd);
        putString(m, "hostname", hostname);
        putList(m, "dns", dns);
        putList(m, "dns_search", dnsSearch);
        putList(m, "extra_hosts", extraHosts);
        if (!labels.isEmpty()) {
            m.put("labels", new TreeMap<>(labels));
        }
        putList(m, "cap_add", capabilities(capAdd));
        putList(m, "cap_drop", capabilities(capDrop));
        if (privileged) {
            m.put("privileged", true);
        }
        if (readOnly) {
            m.put("read_only", true);
        }
        if (!tmpfs.isEmpty()) {
            m.put("tmpfs", tmpfsMounts());
        }
        List<String> limits = new java.util.ArrayList<>();
        for (Ulimit u : ulimitList()) {
            limits.add(u.name() + "=" + u.soft() + ":" + u.hard());
        }
        putList(m, "ulimits", limits);
        List<String> devs = new java.util.ArrayList<>();
        for (Device d : deviceList()) {
            devs.add(d.toString());
        }
        putList(m, "devices", devs);
        putString(m, "working_dir", workingDir);
        putString(m, "stop_signal", stopSignal);
        if (init) {
            m.put("init", true);
        }
        putSize(m, "shm_size", shmSize);
        if (!sysctls.isEmpty()) {
            m.put("sysctls", new TreeMap<>(sysctls));
        }
        return m;
    }

    private static List<String> capabilities(List<String> names) {
        List<String> out = new java.util.ArrayList<>();
        for (String c : names) {
            out.add(capability(c));
        }
        return out;
    }

    /** The options set, as container.json writes them, in the schema's order: what {@code status} shows. */
    public Map<String, Object> shown() {
        Map<String, Object> m = new LinkedHashMap<>();
        putString(m, "memory", memory);
        putString(m, "memory_reservation", memoryReservation);
        if (cpus != null) {
            m.put("cpus", cpus.toPlainString());
        }
        putString(m, "cpuset", cpuset);
        if (pidsLimit != null) {
            m.put("pids_limit", pidsLimit);
        }
        putString(m, "user", user);
        putList(m, "group_add", groupAdd);
        putString(m, "hostname", hostname);
        putList(m, "dns", dns);
        putList(m, "dns_search", dnsSearch);
        putList(m, "extra_hosts", extraHosts);
        if (!labels.isEmpty()) {
            m.put("labels", new TreeMap<>(labels));
        }
        putString(m, "log_driver", logDriver);
        if (!logOpts.isEmpty()) {
            m.put("log_opts", new TreeMap<>(logOpts));
        }
        putList(m, "cap_add", capAdd);
        putList(m, "cap_drop", capDrop);
        if (privileged) {
            m.put("privileged", true);
        }
        if (readOnly) {
            m.put("read_only", true);
        }
        putList(m, "tmpfs", tmpfs);
        putList(m, "ulimits", ulimits);
        putList(m, "devices", devices);
        putString(m, "working_dir", workingDir);
        putString(m, "stop_signal", stopSignal);
        if (init) {
            m.put("init", true);
        }
        putString(m, "shm_size", shmSize);
        if (!sysctls.isEmpty()) {
            m.put("sysctls", new TreeMap<>(sysctls));
        }
        return m;
    }

    private static void putSize(Map<String, Object> m, String key, String size) {
        if (size != null) {
            m.put(key, bytes(size));
        }
    }

    private static void putString(Map<String, Object> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static void putList(Map<String, Object> m, String key, List<String> value) {
        if (!value.isEmpty()) {
            m.put(key, value);
        }
    }
}
