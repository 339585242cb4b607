package io.choria.hoist.cli;

import io.choria.hoist.spec.SpecLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the machine folders are: every command that reads a spec takes it ({@link GlobalOptions}, tag). */
public final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR",
            description = "Choria machine store holding hoist_NAME/container.json (default: ${DEFAULT-VALUE})")
    Path store = SpecLoader.DEFAULT_STORE;
}
