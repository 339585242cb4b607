package io.choria.hoist.docker;

import com.google.gson.Gson;
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
        String restartPolicy) {

    /** Docker restarts a container that dies at once; an operator's docker stop/kill is honoured. */
    public static final String RESTART_POLICY = "unless-stopped";

    public static ContainerPlan of(ContainerSpec spec, String tag) {
        return new ContainerPlan(spec.containerName(), spec.name(), spec.imageRef(tag), spec.environment(),
                spec.command(), spec.entrypoint(), spec.network(), spec.ports(), spec.volumes(), spec.syslog(),
                spec.stopTimeout(), RESTART_POLICY);
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

    /** sha256 of everything but the image, in a fixed order. */
    public String specHash() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", dockerName);
        m.put("environment", environment);
        m.put("command", command);
        m.put("entrypoint", entrypoint);
        m.put("network", network);
        m.put("ports", ports.stream().map(PortSpec::toString).toList());
        m.put("volumes", volumes.stream().map(VolumeSpec::toString).toList());
        m.put("syslog", syslog);
        m.put("stop_timeout", stopTimeout);
        m.put("restart_policy", restartPolicy);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(new Gson().toJson(m).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
