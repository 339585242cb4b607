package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Wires the command line: the factory, the error handler, exit codes, output streams. */
public final class Cli {
    private Cli() {
    }

    /** The command line for these arguments: only the subcommand they name is registered. */
    public static CommandLine commandLine(Context ctx, PrintWriter out, PrintWriter err, String... args) {
        CommandFactory factory = new CommandFactory(ctx);
        CommandLine cl = new CommandLine(HoistCommand.class, factory);
        String named = firstWord(args);
        for (var sub : HoistCommand.SUBCOMMANDS.entrySet()) {
            if (named == null || !HoistCommand.SUBCOMMANDS.containsKey(named) || named.equals(sub.getKey())) {
                cl.addSubcommand(sub.getKey(), new CommandLine(sub.getValue(), factory));
            }
        }
        cl.setOut(out);
        cl.setErr(err);
        ctx.err(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setExitCodeExceptionMapper(t -> ExitCode.SOFTWARE);
        cl.getCommandSpec().usageMessage().exitCodeList(HoistCommand.exitCodeHelp());
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(HoistCommand.exitCodeHelp());
        }
        cl.setParameterExceptionHandler((ex, ignored) -> {
            ex.getCommandLine().getErr().println("hoist-cli: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            ex.getCommandLine().getErr().flush();
            // check --nagios exits 0-3 only: a usage error is UNKNOWN there, not CRITICAL (2).
            return java.util.Arrays.asList(args).contains("--nagios") ? io.choria.hoist.lifecycle.NagiosCheck.UNKNOWN : ExitCode.BAD_INPUT;
        });
        return cl;
    }

    private static String firstWord(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    /** Runs one command line; returns the exit code. */
    public static int run(Context ctx, PrintWriter out, PrintWriter err, String... args) {
        try (ctx) {
            int rc = commandLine(ctx, out, err, args).execute(args);
            out.flush();
            err.flush();
            return rc;
        }
    }
}
