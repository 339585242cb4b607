package io.choria.hoist.docker;

import java.util.Optional;

/** The read-only part of the Engine that {@code check} needs: kept small so check can stay lean. */
public interface EngineReader extends AutoCloseable {

    /** The container labelled with this Hoist name, if there is one. */
    Optional<ManagedContainer> find(String name);

    /**
     * The container with its start time and Docker's restart count filled in, which
     * {@code check --nagios} reports. Readers whose {@link #find} already reads them return it as is.
     */
    default ManagedContainer details(ManagedContainer container) {
        return container;
    }

    /** The local image id for a reference, if the image is present. */
    Optional<String> imageId(String ref);

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
