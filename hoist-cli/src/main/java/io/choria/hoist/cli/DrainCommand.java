package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.fleet.KvServices;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.Drain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hoist-cli drain NAME}: withdraw this node's registrations of the container, then wait drain_time (issue 27). */
@Command(name = "drain", description = {"Withdraw the container's service registrations, wait drain_time.",
        "Delete this node's register_ports entries of hoist_NAME from the KV bucket CHORIA_SERVICES (those of registrations.json beside the spec, "
            + "which Puppet writes), then wait the container's drain_time, so that consumers following the registry stop sending to it. "
            + "The container keeps running, and its machine publishes the entries again at their next interval while it is in RUN: to keep a "
            + "node out, fire the machine's maintenance transition, which runs drain --no-wait. start, restart, stop and the machine's "
            + "remediation drain by themselves before they replace or stop a running container. "
            + "Exit 0 also when there is nothing to withdraw; a broker that cannot be reached is exit 5."},
        footerHeading = "%n",
        footer = {"Broker: as for tag (--server, --choria-config, $HOIST_NATS_URL, the Choria client configuration)."})
public final class DrainCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Mixin ConnectionFlags nats;
    @Spec CommandSpec cmd;

    @Option(names = "--no-wait", description = "Withdraw only: do not wait drain_time (the container is not going away)")
    boolean noWait;

    private final Context ctx;

    public DrainCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws InterruptedException {
        SpecOptions.Loaded t = target.load(ctx, global);
        KvServices registry = new KvServices(ctx, nats);
        Drain drain = KvServices.drain(ctx, nats, t.folder());
        if (drain.entries().isEmpty()) {
            cmd.commandLine().getOut().println(t.spec().containerName() + " registers no service: nothing to withdraw");
            return ExitCode.OK;
        }
        int n = registry.withdraw(drain.entries());
        if (!noWait && !drain.time().isZero()) {
            Thread.sleep(drain.time().toMillis());
            n += registry.withdraw(drain.entries());
        }
        cmd.commandLine().getOut().println("withdrew " + n + " service registration(s) of " + t.spec().containerName() + " from "
                + Drain.BUCKET + (noWait || drain.time().isZero() ? "" : " and waited " + drain.time().toSeconds() + "s"));
        return ExitCode.OK;
    }
}
