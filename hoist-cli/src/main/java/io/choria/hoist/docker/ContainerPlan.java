package io.choria.hoist.docker;

import io.choria.hoist.spec.ContainerOptions;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.PortSpec;
import io.choria.hoist.spec.VolumeSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything Hoist asks the Docker Engine to create for a spec: the pure mapping from
 * {@link ContainerSpec} to a container, as {@code docker run} would make it, so it can be
 * tested without an Engine. The spec hash ({@link SpecHash}) covers what the spec decides of it but
 * the image, which {@code check} compares by image id.
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
        long healthStartPeriodSeconds,
        ContainerOptions options) {

    /** How often Docker runs a {@code health_command}, how long one may take, failures before unhealthy. */
    public static final long HEALTH_INTERVAL_SECONDS = 5;
    public static final long HEALTH_TIMEOUT_SECONDS = 5;
    public static final int HEALTH_RETRIES = 3;

    /** Docker restarts a container that dies at once; an operator's docker stop/kill is honoured. */
    public static final String RESTART_POLICY = "unless-stopped";

    public static ContainerPlan of(ContainerSpec spec, String tag) {
        return new ContainerPlan(spec.containerName(), spec.name(), spec.imageRef(tag), spec.environment(),
                spec.command(), spec.entrypoint(), spec.network(), spec.ports(), spec.volumes(), spec.syslog(),
                spec.stopTimeout(), RESTART_POLICY, spec.health().command(), spec.health().startTimeoutSeconds(),
                spec.options());
    }

    /** The syslog tag, as the seed's module gives it. */
    public String syslogTag() {
        return dockerName;
    }

    /**
     * The log driver the container gets: {@code log_driver}, else {@code syslog} when {@code syslog: true}
     * (its shorthand; SpecParser refuses another driver beside it), else null: the daemon's default.
     */
    public String logDriver() {
        return options.logDriver() != null ? options.logDriver() : syslog ? "syslog" : null;
    }

    /** The log driver's options: {@code log_opts}, and with the syslog driver {@code tag} {@link #syslogTag()} unless they set one. */
    public Map<String, String> logOpts() {
        Map<String, String> opts = new TreeMap<>(options.logOpts());
        if ("syslog".equals(logDriver())) {
            opts.putIfAbsent("tag", syslogTag());
        }
        return opts;
    }

    /** The container's labels: the spec's {@code labels}, then Hoist's own (the schema keeps their prefix for Hoist). */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>(options.labels());
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.NAME, name);
        labels.put(Labels.SPEC_HASH, specHash());
        labels.put(Labels.IMAGE, imageRef);
        return labels;
    }

    /** The {@link Labels#SPEC_HASH} label for a container made from this plan (see {@link SpecHash}). */
    public String specHash() {
        return SpecHash.of(this);
    }

    /** Whether a container with this {@link Labels#SPEC_HASH} label runs what this plan asks for, the image aside. */
    public boolean matchesSpecHash(String label) {
        return SpecHash.matches(this, label);
    }
}
