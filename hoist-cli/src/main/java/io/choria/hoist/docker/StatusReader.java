package io.choria.hoist.docker;

import java.util.List;
import java.util.Optional;

/**
 * The read-only part of the Engine that {@code status} needs. {@link LeanStatusReader} answers it
 * without docker-java, as {@link LeanEngineReader} does for {@code check}.
 */
public interface StatusReader extends EngineReader {

    /** The container labelled with this Hoist name, with its details (start time, restarts, environment). */
    @Override
    Optional<ManagedContainer> find(String name);

    /** Every container carrying {@link Labels#MANAGED}, with their details. */
    List<ManagedContainer> listManaged();

    /** The registry digests of a local image (repo@sha256:...), empty when it was never pulled. */
    List<String> repoDigests(String imageIdOrRef);
}
