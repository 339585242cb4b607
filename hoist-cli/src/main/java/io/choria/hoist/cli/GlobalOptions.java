package io.choria.hoist.cli;

import io.choria.hoist.spec.SpecLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that touches Docker or the machine store takes. */
public final class GlobalOptions {
    @Option(names = "--docker-host", paramLabel = "URL",
            description = "Docker Engine endpoint (default: $DOCKER_HOST, else unix:///var/run/docker.sock)")
    String dockerHost;

    @Option(names = "--store", paramLabel = "DIR",
            description = "Choria machine store holding hoist_NAME/container.json (default: ${DEFAULT-VALUE})")
    Path store = SpecLoader.DEFAULT_STORE;
}
