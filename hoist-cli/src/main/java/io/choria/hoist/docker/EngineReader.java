package io.choria.hoist.docker;

import java.util.List;
import java.util.Optional;

/**
 * The Engine read, never changed: what {@code check} and {@code status} ask. {@link Engines#reader}
 * chooses the implementation: {@link LeanEngineReader} for a plain endpoint, else docker-java's
 * {@link Engine}, which also writes.
 */
public interface EngineReader extends AutoCloseable {

    /** The container labelled with this Hoist name, if there is one. */
    Optional<ManagedContainer> find(String name);

    /**
     * The container with its start time, Docker's restart count and its environment filled in, which
     * {@code check --nagios} and {@code status} report. Readers whose {@link #find} already reads them
     * return it as is.
     */
    default ManagedContainer details(ManagedContainer container) {
        return container;
    }

    /** The local image id for a reference, if the image is present. */
    Optional<String> imageId(String ref);

    /** Every container carrying {@link Labels#MANAGED}, with their details. */
    List<ManagedContainer> listManaged();

    /** The registry digests of a local image (repo@sha256:...), empty when it was never pulled. */
    List<String> repoDigests(String imageIdOrRef);

    /**
     * The Engine's version and the API version this reader speaks to it, negotiated on the first
     * request (see {@link EngineApi#negotiate}); empty for readers that do not talk to a real Engine.
     */
    default Optional<EngineApi> api() {
        return Optional.empty();
    }

    @Override
    void close();
}
