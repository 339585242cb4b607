package io.choria.hoist.cli;

import io.choria.hoist.HoistException;
import io.choria.hoist.fleet.Reports;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.Lifecycle;
import java.util.function.Supplier;
import picocli.CommandLine.Mixin;

/**
 * What a command that changes one container takes and shares, a picocli mixin: {@link OneContainer}'s
 * and --lock-wait ({@link LockOptions}); the container's lock, its lifecycle, and the node's status
 * report after a change.
 */
final class ContainerChange extends OneContainer {
    @Mixin LockOptions locking;

    ContainerChange(Context ctx) {
        super(ctx);
    }

    /**
     * The container's lock, held until closed, waiting as --lock-wait says; the lock file and a
     * command that waits for it name this one as {@code hoist-cli COMMAND [FLAG...] NAME}.
     */
    ContainerLock lock(SpecOptions.Loaded t, String... flags) {
        StringBuilder command = new StringBuilder("hoist-cli ").append(cmd.name());
        for (String flag : flags) {
            command.append(' ').append(flag);
        }
        command.append(' ').append(t.spec().name());
        return ctx.lock(t.folder(), t.spec().name(), command.toString(), locking);
    }

    /** The lifecycle of the loaded container ({@link Context#lifecycle}). */
    Lifecycle lifecycle(SpecOptions.Loaded t) {
        return ctx.lifecycle(global, t);
    }

    /**
     * Runs a change to the loaded container, then the node's status report of it ({@link Reports#afterChange}),
     * with the change's error when it failed (which is then thrown on).
     */
    <T> T reported(SpecOptions.Loaded t, ConnectionFlags nats, Lifecycle lifecycle, Supplier<T> change) {
        T result;
        try {
            result = change.get();
        } catch (HoistException e) {
            Reports.afterChange(ctx, nats, t.folder(), t.spec(), engine(), lifecycle, t.state(), e.getMessage());
            throw e;
        }
        Reports.afterChange(ctx, nats, t.folder(), t.spec(), engine(), lifecycle, t.state(), null);
        return result;
    }
}
