package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Wires the command line: the factory, the error handler, exit codes, output streams. */
public final class Cli {
    private Cli() {
    }

    public static CommandLine commandLine(Context ctx, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(HoistCommand.class, new CommandFactory(ctx));
        cl.setOut(out);
        cl.setErr(err);
        ctx.err(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setExitCodeExceptionMapper(t -> ExitCode.SOFTWARE);
        cl.getCommandSpec().usageMessage().exitCodeList(HoistCommand.exitCodeHelp());
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(HoistCommand.exitCodeHelp());
        }
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("hoist-cli: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            ex.getCommandLine().getErr().flush();
            return ExitCode.BAD_INPUT;
        });
        return cl;
    }

    /** Runs one command line; returns the exit code. */
    public static int run(Context ctx, PrintWriter out, PrintWriter err, String... args) {
        try (ctx) {
            int rc = commandLine(ctx, out, err).execute(args);
            out.flush();
            err.flush();
            return rc;
        }
    }
}
