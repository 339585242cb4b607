package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.fleet.KvFleet;
import io.choria.hoist.fleet.Reports;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.ImageLedger;
import io.choria.hoist.lifecycle.ImagePoll;
import io.choria.hoist.lifecycle.Lifecycle;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "update", description = {"Pull the desired image; leave the running container alone.",
        "Pull the desired image (the KV tag when valid, else image_tag), so that the following restart is quick. Exit 0 when the image is present. The running container is not touched. With kv_update, the tag, the failure marker and a rollout are read from the KV when it can be reached (connection as for start), and a canary slot of a rollout is asked for."})
public final class UpdateCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Mixin LockOptions locking;
    @Mixin ConnectionFlags nats;
    @Spec CommandSpec cmd;
    private final Context ctx;

    public UpdateCommand(Context ctx) {
        this.ctx = ctx;
    }

    @picocli.CommandLine.Option(names = "--dry-run", description = "Pull nothing, change nothing: say which reference is desired, the digest the container runs, the local image's, the registry's now (a HEAD request) and how long ago this node first saw it, and whether a pull would follow (exit 4 when the registry cannot be asked)")
    boolean dryRun;

    @Override
    public Integer call() {
        SpecOptions.Loaded t = target.load(ctx, global);
        var data = ctx.watcherData();
        if (dryRun) {
            ImageLedger ledger = ImageLedger.besideSpec(t.state().file(), ctx::warn);
            var v = new ImagePoll(ctx.engine(global), ctx.registry(), ctx.lifecycle(global, t, ledger), ledger,
                    Clock.systemUTC()).poll(t.spec(), data, t.state().load(), true);
            cmd.commandLine().getOut().print(v.describe(t.spec().containerName()));
            cmd.commandLine().getOut().flush();
            return ExitCode.OK;
        }
        try (ContainerLock lock = ctx.lock(t.folder(), t.spec().name(), "hoist-cli update " + t.spec().name(), locking)) {
            Lifecycle lifecycle = ctx.lifecycle(global, t);
            String ref;
            try {
                ref = lifecycle.update(t.spec(), data, t.state().repairing(), new KvFleet(ctx, nats));
            } catch (HoistException e) {
                Reports.afterChange(ctx, nats, t.folder(), t.spec(), ctx.engine(global), lifecycle, t.state(), e.getMessage());
                throw e;
            }
            Reports.afterChange(ctx, nats, t.folder(), t.spec(), ctx.engine(global), lifecycle, t.state(), null);
            cmd.commandLine().getOut().println(ref + " is present");
            return ExitCode.OK;
        }
    }
}
