package io.choria.hoist.docker;

import java.util.List;
import java.util.Map;

/**
 * What Hoist knows about one of its containers, read from the Docker Engine.
 *
 * @param id container id
 * @param name Hoist name, from the {@link Labels#NAME} label
 * @param state Docker state: created, running, restarting, exited, paused, dead...
 * @param imageId the image id (sha256:...) the container runs
 * @param imageRef the reference it was created from, from the {@link Labels#IMAGE} label
 * @param specHash the {@link Labels#SPEC_HASH} label
 * @param health none, starting, healthy or unhealthy; a blank or missing status is none (Podman reports
 *     an empty {@code State.Health.Status} for a container without a health check, where Docker has no
 *     {@code State.Health})
 * @param startedAt RFC 3339 time the container last started, or null
 * @param restartCount Docker's restart count
 * @param environment the container's environment (values are secrets: mask before showing)
 */
public record ManagedContainer(
        String id,
        String name,
        String state,
        String imageId,
        String imageRef,
        String specHash,
        String health,
        String startedAt,
        int restartCount,
        List<String> environment,
        Map<String, String> labels) {

    /** The health status every reader reports: a blank or missing one is {@code none}. */
    public ManagedContainer {
        if (health == null || health.isBlank()) {
            health = "none";
        }
    }

    public boolean running() {
        return "running".equals(state);
    }

    public boolean unhealthy() {
        return "unhealthy".equals(health);
    }

    /** The tag (or digest) part of {@link #imageRef()}, when it is a reference to {@code image}. */
    public String tagOf(String image) {
        if (imageRef == null) {
            return null;
        }
        if (imageRef.startsWith(image + "@")) {
            return imageRef.substring(image.length() + 1);
        }
        if (imageRef.startsWith(image + ":")) {
            return imageRef.substring(image.length() + 1);
        }
        return null;
    }
}
