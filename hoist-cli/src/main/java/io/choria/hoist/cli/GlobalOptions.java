package io.choria.hoist.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command that touches Docker and the machine store takes. */
public final class GlobalOptions {
    @Option(names = "--docker-host", paramLabel = "URL",
            description = "Docker Engine endpoint (default: $DOCKER_HOST, else unix:///var/run/docker.sock)")
    String dockerHost;

    @Mixin StoreOption storeOption;

    Path store() {
        return storeOption.store;
    }
}
