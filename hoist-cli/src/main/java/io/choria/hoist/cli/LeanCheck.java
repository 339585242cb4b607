package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.lifecycle.CheckResult;
import io.choria.hoist.lifecycle.Checker;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.NodeState;
import io.choria.hoist.spec.ContainerSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code check} without picocli: every node runs it for every container every few minutes, and
 * building picocli's command model (annotation reflection, dynamic proxies) cost more than the
 * check itself. {@link #parse} takes the plain command lines a Choria watcher and an operator give
 * ({@code check NAME} with {@code --store}, {@code --spec} and {@code --docker-host}, as
 * {@code --opt VALUE} or {@code --opt=VALUE}); anything else (help, a repeated or unknown option, a
 * missing or second NAME, an {@code @file}) returns null and goes to picocli, so help and usage
 * errors are picocli's, word for word. {@link CheckCommand} runs the same {@link #run}.
 *
 * <p>No lambdas, streams or reflection here: each would bootstrap method handles at start-up.
 */
final class LeanCheck {
    private LeanCheck() {
    }

    /** A check command line picocli would accept and run, as its options; null for anything else. */
    static Args parse(String[] args) {
        if (args.length < 2 || !"check".equals(args[0])) {
            return null;
        }
        String name = null;
        String store = null;
        String spec = null;
        String dockerHost = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '@') {
                return null;
            }
            if (a.charAt(0) != '-') {
                if (name != null) {
                    return null;
                }
                name = a;
                continue;
            }
            String option = a;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                option = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            }
            // Values that picocli might take for an option, or refuse, are left to it.
            if (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@') {
                return null;
            }
            if ("--store".equals(option) && store == null) {
                store = value;
            } else if ("--spec".equals(option) && spec == null) {
                spec = value;
            } else if ("--docker-host".equals(option) && dockerHost == null) {
                dockerHost = value;
            } else {
                return null;
            }
        }
        if (name == null) {
            return null;
        }
        GlobalOptions global = new GlobalOptions();
        global.storeOption = new StoreOption();
        global.dockerHost = dockerHost;
        SpecOptions target = new SpecOptions();
        target.name = name;
        try {
            if (store != null) {
                global.storeOption.store = Path.of(store);
            }
            if (spec != null) {
                target.spec = Path.of(spec);
            }
        } catch (RuntimeException e) {
            return null; // not a path: picocli says so
        }
        return new Args(global, target);
    }

    /** The parsed options. */
    static final class Args {
        final GlobalOptions global;
        final SpecOptions target;

        Args(GlobalOptions global, SpecOptions target) {
            this.global = global;
            this.target = target;
        }
    }

    /** Runs a parsed check as picocli would: the same streams, exit codes and error lines ({@link ErrorHandler}). */
    static int execute(Context ctx, Args args, PrintWriter err) {
        ctx.err(err);
        try {
            return run(ctx, args.global, args.target, err);
        } catch (Exception e) {
            return ErrorHandler.report(e, err);
        }
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
