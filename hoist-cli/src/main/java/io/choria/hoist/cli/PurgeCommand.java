package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.fleet.KvServices;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.Drain;
import io.choria.hoist.lifecycle.Purger;
import io.choria.hoist.spec.ContainerSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "purge", description = {"Remove machines and containers Puppet no longer manages.",
        "Retire machine folders STORE/hoist_NAME that the Puppet module no longer manages (per STORE/hoist_purge/managed.json): first remove the folder's machine.yaml, so that Choria stops the machine; a run at least --stop-wait later removes the folder and stops and removes its container. A retired container's register_ports entries are withdrawn from CHORIA_SERVICES when its machine is stopped, and again before its container is removed (waiting its drain_time only if one was published again meanwhile). Also stops and removes containers with Hoist's labels whose machine folder was already gone when the run began. With --all, removes every Hoist machine and container (Hoist's removal): every machine.yaml first, the purge machine's too, then, --stop-wait later (this run waits), every machine folder and container. Never touches anything without Hoist's labels."})
public final class PurgeCommand implements Callable<Integer> {
    @Mixin OnNode node;
    @Mixin LockOptions locking;
    @Mixin ConnectionFlags nats;

    @Option(names = "--dry-run", description = "Print what would be removed; change nothing")
    boolean dryRun;

    @Option(names = "--all", description = "Remove every Hoist machine and container, whatever managed.json says: machines first, then, after --stop-wait (waited here), folders and containers")
    boolean all;

    @Option(names = "--stop-wait", paramLabel = "SECONDS",
            description = "Seconds between removing an unmanaged machine's machine.yaml and removing its folder and container: Choria must have stopped the machine first, and rescans its store every 10 s (default: ${DEFAULT-VALUE})")
    long stopWait = Purger.DEFAULT_STOP_WAIT.toSeconds();

    @Override
    public Integer call() {
        if (stopWait < 0) {
            throw HoistException.badInput("--stop-wait must be 0 or more seconds, not " + stopWait);
        }
        Context ctx = node.ctx;
        Purger purger = new Purger(node.engine(), node.global.store(), Clock.systemUTC(), Duration.ofSeconds(stopWait),
                (folder, n) -> ctx.lock(folder, n, "hoist-cli purge (removing " + ContainerSpec.containerName(n) + ")", locking))
                .withDrainer(dryRun ? Purger.Drainer.NONE : this::drain);
        List<Purger.Action> actions = all
                ? purger.purgeAll(dryRun, ContainerSpec.DEFAULT_STOP_TIMEOUT, Thread::sleep)
                : purger.purge(dryRun, ContainerSpec.DEFAULT_STOP_TIMEOUT);
        for (Purger.Action a : actions) {
            node.out().println((dryRun ? "would " : "") + a);
        }
        return ExitCode.OK;
    }

    /** A retired container's registrations (registrations.json in its folder, when it has one). */
    private void drain(Path folder, String container, boolean removing) {
        Context ctx = node.ctx;
        Drain drain = KvServices.drain(ctx, nats, folder);
        if (removing) {
            drain.beforeRemoval(container, ctx::warn, ctx::say, Thread::sleep);
        } else {
            drain.withdrawNow(container, ctx::warn, ctx::say);
        }
    }
}
