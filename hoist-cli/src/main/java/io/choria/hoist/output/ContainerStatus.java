package io.choria.hoist.output;

import java.util.List;
import java.util.Map;

/**
 * One container's status: the result object that {@code status} renders as text or JSON.
 * Environment values are masked before they get here. {@code options} are the container options
 * (memory ... sysctls) the spec sets, as it writes them: what the container was made with when it
 * is in sync (the spec hash covers them).
 */
public record ContainerStatus(
        String name,
        String container,
        String state,
        String health,
        String image,
        String imageId,
        String digest,
        String desired,
        String desiredSource,
        String desiredReason,
        String kvTag,
        String kvError,
        String startedAt,
        int restartCount,
        List<String> environment,
        String problem,
        String lastGood,
        String failedTag,
        String failedAt,
        String failedReason,
        String lastFailure,
        String lastLog,
        Map<String, Object> options) {
}
