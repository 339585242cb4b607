package io.choria.hoist.fleet;

import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.KvLocation;
import java.util.Optional;

/**
 * The container, its spec when there is one, and where its tag lives (cli/TagTarget finds it).
 *
 * @param name the container name
 * @param spec the spec, when one was found
 * @param location the bucket and key to use
 */
public record TagAt(String name, Optional<ContainerSpec> spec, KvLocation location) {
}
