package io.choria.hoist.docker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.Grammar;
import io.choria.hoist.spec.PortSpec;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.VolumeSpec;
import io.choria.hoist.startup.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@link Labels#SPEC_HASH} label: what of a spec it covers, how it is written, and how a label
 * written by an older Hoist is judged. {@code check} compares it and nothing else of the container's
 * configuration, so the verdict depends on the spec alone, never on how an Engine reports a container.
 *
 * <p><b>v2</b> (this release on): {@code v2:} + sha256 of {@link #canonical the canonical form}, a JSON
 * object of only the spec's values that reach the container and differ from their defaults, keys
 * sorted, in a serialisation of our own ({@link #json}). A new key at its default, another key order
 * or spelling in container.json ({@code "8080:80"} or {@code "8080:80/tcp"}, {@code "2m"} or
 * {@code "120s"}), a new Hoist release: none of them changes it. What Hoist itself decides (the
 * restart policy, the health check's interval) is not in it: a release that changes those applies
 * them to containers as they are next replaced for a spec change, never by itself.
 *
 * <p>A new key that changes the container goes into {@link #canonical} <em>only when it differs from
 * its default</em>, under its container.json name; it is not added to {@link #LEGACY_KEYS}.
 *
 * <p><b>Legacy</b> (releases up to 0418ec7): 64 hex digits, no prefix; {@link #legacy} is a frozen
 * copy of that release's algorithm. Such a container is in sync when that algorithm, given today's
 * spec, gives its label, and the spec sets nothing that algorithm did not cover; it keeps its label
 * until it is replaced for a real change.
 */
public final class SpecHash {
    /** The prefix of the current label. */
    public static final String V2 = "v2:";

    /** The canonical keys the legacy algorithm covered: a spec that sets another one differs from any legacy container. */
    static final Set<String> LEGACY_KEYS = Set.of("name", "command", "entrypoint", "environment", "network", "ports",
            "volumes", "syslog", "stop_timeout", "health_command", "start_timeout");


    private SpecHash() {
    }

    /** The label for a container created from this plan. */
    public static String of(ContainerPlan plan) {
        return V2 + sha256(json(canonical(plan)));
    }

    /** Whether a container labelled {@code label} runs what this plan asks for (the image aside). */
    public static boolean matches(ContainerPlan plan, String label) {
        if (label == null) {
            return false;
        }
        if (label.startsWith(V2)) {
            return label.equals(of(plan));
        }
        if (Grammar.sha256Hex(label)) { // a label of releases before v2
            return LEGACY_KEYS.containsAll(canonical(plan).keySet()) && label.equals(legacy(plan));
        }
        // Another version (a newer Hoist's, after a downgrade) or a foreign value: it cannot be
        // judged, so the container is replaced, once, with a label this release understands.
        return false;
    }

    /**
     * The spec's values that reach the container, each only when it differs from its default, by
     * container.json name. Values are strings, booleans, longs and lists of strings.
     */
    static SortedMap<String, Object> canonical(ContainerPlan p) {
        SortedMap<String, Object> m = new TreeMap<>();
        m.put("name", p.name());
        if (p.command() != null) {
            m.put("command", p.command());
        }
        if (p.entrypoint() != null) {
            m.put("entrypoint", p.entrypoint());
        }
        if (!p.environment().isEmpty()) {
            m.put("environment", p.environment());
        }
        if (!ContainerSpec.DEFAULT_NETWORK.equals(p.network())) {
            m.put("network", p.network());
        }
        if (!p.ports().isEmpty()) {
            List<String> ports = new ArrayList<>();
            for (PortSpec port : p.ports()) {
                ports.add(port(port));
            }
            m.put("ports", ports);
        }
        if (!p.volumes().isEmpty()) {
            List<String> volumes = new ArrayList<>();
            for (VolumeSpec volume : p.volumes()) {
                volumes.add(volume(volume));
            }
            m.put("volumes", volumes);
        }
        // The log driver as the container gets it. syslog: true alone (the syslog driver tagged
        // hoist_NAME) keeps the key it always had, so log_driver: syslog without options spells the same
        // container; anything else is log_driver and log_opts.
        Map<String, String> logOpts = p.logOpts();
        if ("syslog".equals(p.logDriver()) && logOpts.equals(Map.of("tag", p.syslogTag()))) {
            m.put("syslog", true);
        } else {
            if (p.logDriver() != null) {
                m.put("log_driver", p.logDriver());
            }
            if (!logOpts.isEmpty()) {
                m.put("log_opts", logOpts);
            }
        }
        // The container options (memory ... sysctls), each only when set.
        m.putAll(p.options().canonical());
        if (p.stopTimeout() != ContainerSpec.DEFAULT_STOP_TIMEOUT) {
            m.put("stop_timeout", (long) p.stopTimeout());
        }
        if (p.healthCommand() != null) {
            m.put("health_command", p.healthCommand());
            // start_timeout reaches the container only as the start period of its health_command.
            if (p.healthStartPeriodSeconds() != SpecParser.DEFAULT_START_TIMEOUT_SECONDS) {
                m.put("start_timeout", p.healthStartPeriodSeconds());
            }
        }
        return m;
    }

    /** A port in one spelling: {@code [IP:]HOST:CONTAINER/PROTO}, an IPv6 address in brackets. */
    private static String port(PortSpec p) {
        String ip = p.hostIp() == null ? "" : p.hostIp().contains(":") ? "[" + p.hostIp() + "]:" : p.hostIp() + ":";
        return ip + p.hostPort() + ":" + p.containerPort() + "/" + p.protocol();
    }

    /** A bind mount in one spelling: {@code /host:/container}, {@code :ro} when read-only. */
    private static String volume(VolumeSpec v) {
        return v.source() + ":" + v.target() + (v.readOnly() ? ":ro" : "");
    }

    /**
     * The canonical serialisation, written here rather than by a JSON library so that no library
     * upgrade can change it: objects with keys in {@link String#compareTo} order, no spaces,
     * integers in decimal, and strings in ASCII: {@code \"} and {@code \\} escaped, every other
     * character outside {@code ' '..'~'} as {@code \}{@code uXXXX} (lower-case hex, UTF-16 units).
     */
    static String json(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v instanceof String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < ' ' || c > '~') {
                    b.append("\\u").append(HexFormat.of().toHexDigits((short) c));
                } else {
                    b.append(c);
                }
            }
            b.append('"');
        } else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) {
            b.append(v);
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ",");
                write(b, list.get(i));
            }
            b.append(']');
        } else if (v instanceof Map<?, ?> map) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                b.append(first ? "" : ",");
                first = false;
                write(b, (String) e.getKey());
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else {
            throw new IllegalArgumentException("no canonical form for " + (v == null ? "null" : v.getClass().getName()));
        }
    }

    /**
     * FROZEN: the label Hoist 0418ec7 (and every release before v2) gave a container made from this
     * plan's spec: {@code ContainerPlan.specHash()} of that release, with the port and volume
     * spellings and the restart policy it used written out here, so that nothing changed later can
     * change it. {@code SpecHashTest} pins its values; never edit it.
     */
    static String legacy(ContainerPlan p) {
        JsonObject m = new JsonObject();
        m.addProperty("name", "hoist_" + p.name());
        m.add("environment", legacyArray(p.environment()));
        m.add("command", legacyArray(p.command()));
        m.add("entrypoint", legacyArray(p.entrypoint()));
        m.addProperty("network", p.network());
        List<String> ports = new ArrayList<>();
        for (PortSpec x : p.ports()) {
            ports.add((x.hostIp() == null ? "" : x.hostIp() + ":") + x.hostPort() + ":" + x.containerPort() + "/" + x.protocol());
        }
        m.add("ports", legacyArray(ports));
        List<String> volumes = new ArrayList<>();
        for (VolumeSpec v : p.volumes()) {
            volumes.add(v.source() + ":" + v.target() + (v.readOnly() ? ":ro" : ""));
        }
        m.add("volumes", legacyArray(volumes));
        m.addProperty("syslog", p.syslog());
        m.addProperty("stop_timeout", p.stopTimeout());
        m.addProperty("restart_policy", "unless-stopped");
        m.add("health_command", legacyArray(p.healthCommand()));
        m.addProperty("health_start_period", p.healthCommand() == null ? 0 : p.healthStartPeriodSeconds());
        return sha256(m.toString());
    }

    private static JsonElement legacyArray(List<String> items) {
        if (items == null) {
            return JsonNull.INSTANCE;
        }
        JsonArray a = new JsonArray();
        for (String item : items) {
            a.add(item);
        }
        return a;
    }

    /** SHA-256 in lower-case hex, by {@link Sha256}: MessageDigest starts the JDK's providers and method handles on check's path. */
    private static String sha256(String text) {
        return HexFormat.of().formatHex(Sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
