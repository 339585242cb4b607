package io.choria.hoist.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The container a command acts on, and where its spec comes from. */
public final class SpecOptions {
    @Parameters(index = "0", paramLabel = "NAME", description = "Container name (the container is hoist_NAME)")
    String name;

    @Option(names = "--spec", paramLabel = "FILE",
            description = "Container spec to use (default: ./container.json when run in the machine folder hoist_NAME, else STORE/hoist_NAME/container.json)")
    Path spec;
}
