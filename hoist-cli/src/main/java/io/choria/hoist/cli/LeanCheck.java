package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.lifecycle.CheckResult;
import io.choria.hoist.lifecycle.Checker;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.NodeState;
import io.choria.hoist.spec.ContainerSpec;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code check} without picocli: every node runs it for every container every few minutes.
 * {@link LeanCommandLine} takes its plain command lines, which {@link Cli#run} runs; {@link CheckCommand}
 * (picocli's, for the rest) runs the same {@link #run}.
 *
 * <p>No lambdas, streams or reflection here: each would bootstrap method handles at start-up.
 */
final class LeanCheck {
    private LeanCheck() {
    }

    /** A check command line picocli would accept and run, as its options; null for anything else. */
    static LeanCommandLine parse(String[] args) {
        return LeanCommandLine.parse(args, "check", true, true, false);
    }

    /** The check: exit 0 when the container is as specified, else its reason on stderr and exit 1. */
    static int run(Context ctx, GlobalOptions global, SpecOptions target, PrintWriter err) {
        SpecOptions.Loaded t = target.load(ctx, global);
        ContainerSpec spec = t.spec();
        var data = ctx.watcherData();
        NodeState state = t.state().load();
        if (t.state().damaged()) {
            // Rewritten with what was kept, so hoist.log has the warning once; only when no other
            // command holds the lock: check never waits for it.
            Optional<ContainerLock> lock = ContainerLock.tryAcquire(t.folder(), "hoist-cli check " + spec.name(), Clock.systemUTC());
            if (lock.isPresent()) {
                try (ContainerLock held = lock.get()) {
                    t.state().repair();
                }
            }
        }
        CheckResult r = new Checker(ctx.reader(global), new Context.Warnings(ctx)).check(spec, data, state);
        if (r.ok()) {
            return ExitCode.OK;
        }
        err.println("hoist-cli: check failed: " + r.reason());
        return ExitCode.NOT_RUNNING;
    }
}
