package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.Lifecycle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "update", description = "Pull the desired image (the KV tag when valid, else image_tag), so that the following restart is quick. Exit 0 when the image is present. The running container is not touched. With kv_update, the tag, the failure marker and a rollout are read from the KV when it can be reached (connection as for start), and a canary slot of a rollout is asked for.")
public final class UpdateCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Mixin LockOptions locking;
    @Mixin io.choria.hoist.kv.ConnectionFlags nats;
    @Spec CommandSpec cmd;
    private final Context ctx;

    public UpdateCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SpecOptions.Loaded t = target.load(ctx, global);
        var data = ctx.watcherData();
        try (ContainerLock lock = ctx.lock(t.folder(), t.spec().name(), "hoist-cli update " + t.spec().name(), locking)) {
            Lifecycle lifecycle = new Lifecycle(ctx.engine(global), ctx::warn);
            String ref;
            try {
                ref = lifecycle.update(t.spec(), data, t.state().repairing(), new KvFleet(ctx, nats));
            } catch (io.choria.hoist.HoistException e) {
                Reports.afterChange(ctx, nats, t.folder(), t.spec(), ctx.engine(global), lifecycle, t.state(), e.getMessage());
                throw e;
            }
            Reports.afterChange(ctx, nats, t.folder(), t.spec(), ctx.engine(global), lifecycle, t.state(), null);
            cmd.commandLine().getOut().println(ref + " is present");
            return ExitCode.OK;
        }
    }
}
