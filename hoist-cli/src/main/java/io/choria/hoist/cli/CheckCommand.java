package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.lifecycle.CheckResult;
import io.choria.hoist.lifecycle.Checker;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.NodeState;
import java.time.Clock;
import io.choria.hoist.spec.ContainerSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
        SpecOptions.Loaded t = target.load(ctx, global);
        ContainerSpec spec = t.spec();
        var data = ctx.watcherData();
        NodeState state = t.state().load();
        if (t.state().damaged()) {
            // Rewritten with what was kept, so hoist.log has the warning once; only when no other
            // command holds the lock: check never waits for it.
            ContainerLock.tryAcquire(t.folder(), "hoist-cli check " + spec.name(), Clock.systemUTC()).ifPresent(lock -> {
                try (lock) {
                    t.state().repair();
                }
            });
        }
        Checker.Outcome o = new Checker(ctx.reader(global), ctx::warn).examine(spec, data, state);
        Reports.afterCheck(ctx, t.folder(), spec, o, state);
        CheckResult r = o.result();
        if (r.ok()) {
            return ExitCode.OK;
        }
        cmd.commandLine().getErr().println("hoist-cli: check failed: " + r.reason());
        return ExitCode.NOT_RUNNING;
    }
}
