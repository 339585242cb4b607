package io.choria.hoist.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * picocli's {@code check}: its help, and the command lines {@link LeanCheck#parse} leaves to picocli.
 * A plain {@code check NAME} runs {@link LeanCheck} without picocli; both run {@link LeanCheck#run}.
 */
@Command(name = "check", description = "Exit 0 when hoist_NAME exists, is running, runs the desired image with the current spec and is not unhealthy. Otherwise print the reason on stderr and exit 1. Silent on success.")
public final class CheckCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Spec CommandSpec cmd;
    private final Context ctx;

    public CheckCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        return LeanCheck.run(ctx, global, target, cmd.commandLine().getErr());
    }
}
