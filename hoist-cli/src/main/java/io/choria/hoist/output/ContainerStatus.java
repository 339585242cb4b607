package io.choria.hoist.output;

import java.util.List;

/**
 * One container's status: the result object that {@code status} renders as text or JSON.
 * Environment values are masked before they get here.
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
        String lastLog) {
}
