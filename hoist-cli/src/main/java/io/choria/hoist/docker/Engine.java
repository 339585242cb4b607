package io.choria.hoist.docker;

import io.choria.hoist.registry.Credentials;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Docker Engine as Hoist uses it: what {@link EngineReader} reads, and every change (docker-java's,
 * built by {@link Engines#engine}). Implementations turn "cannot reach the Engine" into
 * {@link DockerUnreachableException}; a missing container or image is an empty result, not an error.
 */
public interface Engine extends EngineReader {

    /** The id of a container with this Docker name, labelled or not (to spot name clashes). */
    Optional<String> containerIdByDockerName(String dockerName);

    /**
     * Every manifest digest ({@code sha256:...}) the Engine knows a local image by, whatever its
     * names, when the Engine keeps them apart from its names: Podman does (an image a moving tag
     * has left, with no name in that repository, lists no repo digest there but keeps its digests).
     * Empty on Docker, whose {@link #repoDigests} already keep them.
     */
    default List<String> manifestDigests(String imageId) {
        return List.of();
    }

    /** Pulls a reference; throws {@link io.choria.hoist.HoistException} with IMAGE_UNAVAILABLE on failure. */
    void pull(String ref);

    /**
     * Pulls a reference with registry credentials, which the Engine gets in its
     * {@code X-Registry-Auth} header (never on a command line); as {@link #pull(String)} otherwise.
     */
    void pull(String ref, Credentials credentials);

    /** A local image: its id, its tags and digests ({@code repo:tag}, {@code repo@sha256:...}). */
    record LocalImage(String id, List<String> repoTags, List<String> repoDigests) {
    }

    /** Every local image (not intermediate layers). */
    List<LocalImage> images();

    /** The image ids of every container on the Engine, Hoist's or not, running or not. */
    Set<String> imageIdsInUse();

    /**
     * Removes a tag or an image (by reference, never forced): the image goes when its last tag does.
     * False when the Engine refuses because a container uses it or it is gone.
     */
    boolean removeImage(String ref);

    /** Creates the container; returns its id. */
    String create(ContainerPlan plan);

    /**
     * Creates the container under another Docker name (a replacement prepared beside the container
     * it replaces, renamed once that one is gone); returns its id. Empty when this Engine cannot.
     */
    default Optional<String> createAs(ContainerPlan plan, String dockerName) {
        return Optional.empty();
    }

    /** Gives a container another Docker name; a name in use is a ConflictException. */
    default void rename(String id, String dockerName) {
        throw new UnsupportedOperationException("rename");
    }

    void start(String id);

    /** Graceful stop: SIGTERM, then SIGKILL after the timeout. A stopped container is fine. */
    void stop(String id, int timeoutSeconds);

    void remove(String id);

    /** Fresh state of a container by id; empty when it is gone. */
    Optional<ManagedContainer> inspect(String id);

    /**
     * The last {@code lines} lines of a container's output and its exit code, to explain a failed
     * start. Best effort: {@link LastOutput#NONE} when they cannot be read. Not on check's path.
     */
    default LastOutput lastOutput(String id, int lines) {
        return LastOutput.NONE;
    }
}
