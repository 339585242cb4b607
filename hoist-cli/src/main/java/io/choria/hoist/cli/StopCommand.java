package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.fleet.KvServices;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.Lifecycle;
import io.choria.hoist.spec.ContainerSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "stop", description = {"Stop the container gracefully and remove it.",
        "Stop hoist_NAME gracefully (SIGTERM, then SIGKILL after the spec's stop_timeout, default 10 s) and remove it. Exit 0 also when there was no container."})
public final class StopCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Mixin LockOptions locking;
    @Mixin ConnectionFlags nats;
    @Spec CommandSpec cmd;
    private final Context ctx;

    public StopCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SpecOptions.Loaded t = target.load(ctx, global);
        ContainerSpec spec = t.spec();
        try (ContainerLock lock = ctx.lock(t.folder(), spec.name(), "hoist-cli stop " + spec.name(), locking)) {
            boolean stopped = new Lifecycle(ctx.engine(global), ctx::warn).withDrain(KvServices.drain(ctx, nats, t.folder())).stop(spec.name(), spec.stopTimeout());
            cmd.commandLine().getOut().println(spec.containerName() + (stopped ? " stopped and removed" : " was not there"));
            return ExitCode.OK;
        }
    }
}
