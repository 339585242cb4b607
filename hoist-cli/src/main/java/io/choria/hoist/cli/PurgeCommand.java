package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.lifecycle.Purger;
import io.choria.hoist.spec.ContainerSpec;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "purge", description = "Remove machine folders STORE/hoist_NAME that the Puppet module no longer manages (per STORE/hoist_purge/managed.json), and stop and remove containers with Hoist's labels whose machine folder was already gone when the run began. Never touches anything without Hoist's labels.")
public final class PurgeCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Spec CommandSpec cmd;

    @Option(names = "--dry-run", description = "Print what would be removed; change nothing")
    boolean dryRun;

    private final Context ctx;

    public PurgeCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        List<Purger.Action> actions = new Purger(ctx.engine(global), global.store)
                .purge(dryRun, ContainerSpec.DEFAULT_STOP_TIMEOUT);
        for (Purger.Action a : actions) {
            cmd.commandLine().getOut().println((dryRun ? "would " : "") + a);
        }
        return ExitCode.OK;
    }
}
