package io.choria.hoist.docker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.PortSpec;
import io.choria.hoist.spec.VolumeSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything Hoist asks the Docker Engine to create for a spec: the pure mapping from
 * {@link ContainerSpec} to a container, as {@code docker run} would make it, so it can be
 * tested without an Engine. The spec hash covers all of it but the image, which
 * {@code check} compares by image id.
 */
public record ContainerPlan(
        String dockerName,
        String name,
        String imageRef,
        List<String> environment,
        List<String> command,
        List<String> entrypoint,
        String network,
        List<PortSpec> ports,
        List<VolumeSpec> volumes,
        boolean syslog,
        int stopTimeout,
        String restartPolicy,
        List<String> healthCommand,
        long healthStartPeriodSeconds) {

    /** How often Docker runs a {@code health_command}, how long one may take, failures before unhealthy. */
    public static final long HEALTH_INTERVAL_SECONDS = 5;
    public static final long HEALTH_TIMEOUT_SECONDS = 5;
    public static final int HEALTH_RETRIES = 3;

    /** Docker restarts a container that dies at once; an operator's docker stop/kill is honoured. */
    public static final String RESTART_POLICY = "unless-stopped";

    public static ContainerPlan of(ContainerSpec spec, String tag) {
        return new ContainerPlan(spec.containerName(), spec.name(), spec.imageRef(tag), spec.environment(),
                spec.command(), spec.entrypoint(), spec.network(), spec.ports(), spec.volumes(), spec.syslog(),
                spec.stopTimeout(), RESTART_POLICY, spec.health().command(), spec.health().startTimeoutSeconds());
    }

    /** The syslog tag, as the seed's module gives it. */
    public String syslogTag() {
        return dockerName;
    }

    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.NAME, name);
        labels.put(Labels.SPEC_HASH, specHash());
        labels.put(Labels.IMAGE, imageRef);
        return labels;
    }

    /** sha256 of everything but the image, in a fixed order (a JSON tree: no Gson instance on check's path). */
    public String specHash() {
        JsonObject m = new JsonObject();
        m.addProperty("name", dockerName);
        m.add("environment", array(environment));
        m.add("command", array(command));
        m.add("entrypoint", array(entrypoint));
        m.addProperty("network", network);
        m.add("ports", array(ports.stream().map(PortSpec::toString).toList()));
        m.add("volumes", array(volumes.stream().map(VolumeSpec::toString).toList()));
        m.addProperty("syslog", syslog);
        m.addProperty("stop_timeout", stopTimeout);
        m.addProperty("restart_policy", restartPolicy);
        m.add("health_command", array(healthCommand));
        m.addProperty("health_start_period", healthCommand == null ? 0 : healthStartPeriodSeconds);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(m.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonElement array(List<String> items) {
        if (items == null) {
            return JsonNull.INSTANCE;
        }
        JsonArray a = new JsonArray();
        items.forEach(a::add);
        return a;
    }
}
