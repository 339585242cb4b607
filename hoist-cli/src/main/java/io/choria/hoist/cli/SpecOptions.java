package io.choria.hoist.cli;

import io.choria.hoist.lifecycle.StateStore;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The container a command acts on, and where its spec comes from. */
public final class SpecOptions {
    @Parameters(index = "0", paramLabel = "NAME", description = "Container name (the container is hoist_NAME)")
    String name;

    /** The container's spec and what this node remembers about it (hoist-state.json beside the spec). */
    record Loaded(ContainerSpec spec, StateStore state) {
        /** The folder holding the spec, its state and its lock: the machine folder under Choria. */
        Path folder() {
            return state.file().toAbsolutePath().getParent();
        }
    }

    /** Loads the spec (validated) and finds its state file. */
    Loaded load(Context ctx, GlobalOptions global) {
        SpecLoader specs = ctx.specs(global);
        return new Loaded(specs.load(name, spec), ctx.state(specs.locate(name, spec)));
    }

    @Option(names = "--spec", paramLabel = "FILE",
            description = "Container spec to use (default: ./container.json when run in the machine folder hoist_NAME, else STORE/hoist_NAME/container.json)")
    Path spec;
}
