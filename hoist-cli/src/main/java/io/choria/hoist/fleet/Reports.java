package io.choria.hoist.fleet;

import io.choria.hoist.docker.EngineReader;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.Checker;
import io.choria.hoist.lifecycle.Lifecycle;
import io.choria.hoist.lifecycle.NodeState;
import io.choria.hoist.lifecycle.StateStore;
import io.choria.hoist.lifecycle.StatusReporter;
import io.choria.hoist.rollout.NodeReport;
import io.choria.hoist.spec.ContainerSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The node's status reports after check, start, restart and update ({@link StatusReporter}).
 * {@link #afterCheck} is on check's path: the rules of {@link io.choria.hoist.startup} apply.
 */
public final class Reports {
    private Reports() {
    }

    /** The status bucket, connected to only when a report is written. */
    private static final class Sinks implements Supplier<StatusReporter.Sink> {
        private final FleetContext ctx;
        private final ConnectionFlags flags;

        Sinks(FleetContext ctx, ConnectionFlags flags) {
            this.ctx = ctx;
            this.flags = flags;
        }

        @Override
        public StatusReporter.Sink get() {
            return new KvStatus(ctx, flags);
        }
    }

    private static StatusReporter reporter(FleetContext ctx, Path folder, ConnectionFlags flags) {
        return new StatusReporter(folder, new Sinks(ctx, flags), Clock.systemUTC(), new Warnings(ctx));
    }

    /** After a check: written only when it differs from the last report, or that is old. */
    public static void afterCheck(FleetContext ctx, Path folder, ContainerSpec spec, Checker.Seen seen, NodeState state) {
        NodeReport r = StatusReporter.of(ctx.env().get(NodeIdentity.ENV), spec, seen.container(), seen.decision(), state,
                seen.result().ok() ? null : "check failed: " + seen.result().reason(), StatusReporter.machineState(ctx.env()));
        reporter(ctx, folder, new ConnectionFlags()).report(r, false);
    }

    /** After a command that changed something: always written. {@code error} is why it failed, or null. */
    public static void afterChange(FleetContext ctx, ConnectionFlags flags, Path folder, ContainerSpec spec, EngineReader engine, Lifecycle l,
            StateStore store, String error) {
        try {
            Optional<ManagedContainer> c = engine.find(spec.name());
            NodeReport r = StatusReporter.of(ctx.env().get(NodeIdentity.ENV), spec, c, l.lastDecision(),
                    new StateStore(store.file(), new Quiet()).load(), error,
                    StatusReporter.machineState(ctx.env()));
            reporter(ctx, folder, flags).report(r, true);
        } catch (RuntimeException e) {
            ctx.warn("cannot report the status of " + spec.name() + ": " + e.getMessage());
        }
    }

    /** Drops the warnings of the second read of the state file: the command's own read gave them. */
    private static final class Quiet implements Consumer<String> {
        @Override
        public void accept(String message) {
            // said once already
        }
    }
}
