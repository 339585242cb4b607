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

@Command(name = "stop", description = {"Stop the container gracefully and remove it.",
        "Stop hoist_NAME gracefully (SIGTERM, then SIGKILL after the spec's stop_timeout, default 10 s) and remove it. Exit 0 also when there was no container."})
public final class StopCommand implements Callable<Integer> {
    @Mixin ContainerChange container;
    @Mixin ConnectionFlags nats;

    @Override
    public Integer call() {
        Context ctx = container.ctx;
        SpecOptions.Loaded t = container.load();
        ContainerSpec spec = t.spec();
        try (ContainerLock lock = container.lock(t)) {
            boolean stopped = new Lifecycle(container.engine(), ctx::warn).withDrain(KvServices.drain(ctx, nats, t.folder())).stop(spec.name(), spec.stopTimeout());
            container.out().println(spec.containerName() + (stopped ? " stopped and removed" : " was not there"));
            return ExitCode.OK;
        }
    }
}
