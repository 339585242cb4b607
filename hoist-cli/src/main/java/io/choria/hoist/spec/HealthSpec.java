package io.choria.hoist.spec;

import java.util.List;

/**
 * How Hoist decides a container is healthy: Docker's own health status (the image's HEALTHCHECK,
 * or {@code health_command} as one), plus optional probes hoist-cli runs from the host.
 *
 * @param httpUrl {@code health_http}: GET this loopback URL, or null
 * @param httpStatus {@code health_status}: the status the GET must answer (default 200)
 * @param tcpHost host of {@code health_tcp}, or null
 * @param tcpPort port of {@code health_tcp}, or 0
 * @param command {@code health_command}: the Docker HEALTHCHECK command, or null
 * @param startTimeoutSeconds {@code start_timeout}: how long start waits for health
 * @param minHealthySeconds {@code min_healthy_time}: how long health must hold without a break
 */
public record HealthSpec(
        String httpUrl,
        int httpStatus,
        String tcpHost,
        int tcpPort,
        List<String> command,
        long startTimeoutSeconds,
        long minHealthySeconds) {

    /** The default of {@code health_status}; start_timeout's and min_healthy_time's are SpecParser's. */
    public static final int DEFAULT_HTTP_STATUS = 200;

    public boolean hasProbes() {
        return httpUrl != null || tcpHost != null;
    }
}
