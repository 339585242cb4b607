package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.fleet.KvFleet;
import io.choria.hoist.fleet.KvServices;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.Lifecycle;
import io.choria.hoist.spec.ContainerSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "start", description = {"Pull the desired image, replace the container, wait for health.",
        "Make sure the desired image is present (pulling it if missing), then replace any hoist_NAME container with a new one made from the spec. Exit 0 only when the new one has been running and healthy (Docker health status and the spec's probes) for min_healthy_time, within start_timeout; else exit 6. With kv_update, the tag and the fleet's failure marker (KEY_failed beside it) are read from the KV at start, when it can be reached (connection as for tag; on nodes HOIST_CHORIA_CONFIG or HOIST_NATS_URL), else taken from WATCHER_DATA. A failed pull leaves the running container alone. A new tag that never becomes healthy is rolled back to the last image that did (exit 0, with a warning) and is not tried again here until the desired tag changes (a KV tag is also marked failed in the KV, so the rest of the fleet does not try it); repeated failures back off (30 s, doubling, at most 10 min)."})
public class StartCommand implements Callable<Integer> {
    @Mixin ContainerChange container;
    @Mixin ConnectionFlags nats;

    @Option(names = "--if-needed", description = "Do nothing when the container already passes check (the machine's remediation uses this; an operator's restart replaces)")
    boolean ifNeeded;

    @Override
    public Integer call() {
        Context ctx = container.ctx;
        SpecOptions.Loaded t = container.load();
        ContainerSpec spec = t.spec();
        var data = ctx.watcherData();
        try (ContainerLock lock = ifNeeded ? container.lock(t, "--if-needed") : container.lock(t)) {
            Lifecycle lifecycle = container.lifecycle(t).withDrain(KvServices.drain(ctx, nats, t.folder()));
            ManagedContainer c = container.reported(t, nats, lifecycle,
                    () -> lifecycle.start(spec, data, t.state().repairing(), new KvFleet(ctx, nats), ifNeeded));
            container.out().println(spec.containerName() + " running " + c.imageRef() + " (" + c.id().substring(0, 12) + ")");
            return ExitCode.OK;
        }
    }
}
