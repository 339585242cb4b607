package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.fleet.KvFleet;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.ImageLedger;
import io.choria.hoist.lifecycle.ImagePoll;
import io.choria.hoist.lifecycle.Lifecycle;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "update", description = {"Pull the desired image; leave the running container alone.",
        "Pull the desired image (the KV tag when valid, else image_tag), so that the following restart is quick. Exit 0 when the image is present. The running container is not touched. With kv_update, the tag, the failure marker and a rollout are read from the KV when it can be reached (connection as for start), and a canary slot of a rollout is asked for."})
public final class UpdateCommand implements Callable<Integer> {
    @Mixin ContainerChange container;
    @Mixin ConnectionFlags nats;

    @Option(names = "--dry-run", description = "Pull nothing, change nothing: say which reference is desired, the digest the container runs, the local image's, the registry's now (a HEAD request) and how long ago this node first saw it, and whether a pull would follow (exit 4 when the registry cannot be asked)")
    boolean dryRun;

    @Override
    public Integer call() {
        Context ctx = container.ctx;
        SpecOptions.Loaded t = container.load();
        var data = ctx.watcherData();
        if (dryRun) {
            ImageLedger ledger = ImageLedger.besideSpec(t.state().file(), ctx::warn);
            var v = new ImagePoll(container.engine(), ctx.registry(), ctx.lifecycle(container.global, t, ledger), ledger,
                    Clock.systemUTC()).poll(t.spec(), data, t.state().load(), true);
            container.out().print(v.describe(t.spec().containerName()));
            container.out().flush();
            return ExitCode.OK;
        }
        try (ContainerLock lock = container.lock(t)) {
            Lifecycle lifecycle = container.lifecycle(t);
            String ref = container.reported(t, nats, lifecycle,
                    () -> lifecycle.update(t.spec(), data, t.state().repairing(), new KvFleet(ctx, nats)));
            container.out().println(ref + " is present");
            return ExitCode.OK;
        }
    }
}
