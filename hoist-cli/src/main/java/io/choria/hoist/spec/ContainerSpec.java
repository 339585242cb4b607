package io.choria.hoist.spec;

import java.util.List;

/**
 * One container's spec: the container's Hiera keys as Puppet writes them into
 * {@code container.json}, plus its {@code name}. Built only by {@link SpecParser}, which
 * validates every field, so a ContainerSpec in hand is always valid.
 *
 * <p>Optional values are {@code null}; lists are never null.
 */
public record ContainerSpec(
        String name,
        String image,
        String imageTag,
        List<String> command,
        List<String> entrypoint,
        String network,
        boolean syslog,
        List<String> environment,
        List<VolumeSpec> volumes,
        List<PortSpec> ports,
        boolean kvUpdate,
        KvLocation kv,
        String kvInterval,
        String checkInterval,
        int stopTimeout,
        String restartGovernor,
        String updateGovernor,
        List<String> restartFiles,
        HealthSpec health,
        ContainerOptions options,
        ImagePolicy images) {

    public static final String DEFAULT_TAG = "latest";
    public static final String DEFAULT_NETWORK = "bridge";
    public static final int DEFAULT_STOP_TIMEOUT = 10;

    /** The Docker container name Hoist gives this container. */
    public String containerName() {
        return containerName(name);
    }

    public static String containerName(String name) {
        return "hoist_" + name;
    }

    /** The image reference for the given tag or digest. */
    public String imageRef(String tag) {
        return Tags.isDigest(tag) ? image + "@" + tag : image + ":" + tag;
    }
}
