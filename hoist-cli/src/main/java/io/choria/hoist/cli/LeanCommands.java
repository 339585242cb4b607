package io.choria.hoist.cli;

import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.startup.LeanCommandLine;
import java.io.PrintWriter;

/**
 * What Main runs: a plain {@code check} or {@code status} ({@link LeanCommandLine}) without picocli,
 * with the same streams, exit codes and error lines ({@link ErrorHandler}); anything else is
 * picocli's ({@link Cli}). This class names no picocli type, so a check loads none of picocli's
 * classes (the rules of {@link io.choria.hoist.startup}).
 */
public final class LeanCommands {
    private LeanCommands() {
    }

    /** Runs one command line; returns the exit code. */
    public static int run(Context ctx, PrintWriter out, PrintWriter err, String... args) {
        LeanCommandLine check = LeanCommandLine.check(args);
        LeanCommandLine status = check == null ? LeanCommandLine.status(args) : null;
        if (check == null && status == null) {
            return Cli.runWithPicocli(ctx, out, err, args);
        }
        try (ctx) {
            ctx.err(err);
            int rc;
            try {
                if (check != null) {
                    GlobalOptions global = global(check);
                    SpecOptions target = target(check);
                    rc = check.nagios ? LeanCheck.nagios(ctx, global, target, out, err) : LeanCheck.run(ctx, global, target, err);
                } else {
                    rc = status(ctx, status, out);
                }
            } catch (Exception e) {
                rc = ErrorHandler.report(e, err);
            }
            out.flush();
            err.flush();
            return rc;
        }
    }

    /** {@code status [NAME] [--json]}: the Key-Value options, help and usage errors are picocli's; both run {@link StatusCommand#call()}. */
    private static int status(Context ctx, LeanCommandLine args, PrintWriter out) {
        StatusCommand status = new StatusCommand(ctx);
        status.global = global(args);
        status.nats = new ConnectionFlags();
        status.name = args.name;
        status.json = args.json;
        status.out = out;
        return status.call();
    }

    /** The options every command takes, as picocli would fill them from the same command line. */
    private static GlobalOptions global(LeanCommandLine l) {
        GlobalOptions global = new GlobalOptions();
        global.storeOption = new StoreOption();
        global.dockerHost = l.dockerHost;
        if (l.store != null) {
            global.storeOption.store = l.store;
        }
        return global;
    }

    /** NAME and --spec. */
    private static SpecOptions target(LeanCommandLine l) {
        SpecOptions target = new SpecOptions();
        target.name = l.name;
        target.spec = l.spec;
        return target;
    }
}
