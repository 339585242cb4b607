package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.lifecycle.NagiosCheck;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Wires the command line: the factory, the error handler, exit codes, output streams. */
public final class Cli {
    private Cli() {
    }

    /** The command line for these arguments: only the subcommand they name is registered. */
    public static CommandLine commandLine(Context ctx, PrintWriter out, PrintWriter err, String... args) {
        CommandFactory factory = new CommandFactory(ctx);
        CommandLine cl = new CommandLine(HoistCommand.class, factory);
        String named = subcommand(args);
        for (var sub : HoistCommand.SUBCOMMANDS.entrySet()) {
            if (named == null || named.equals(sub.getKey())) {
                cl.addSubcommand(sub.getKey(), new CommandLine(sub.getValue(), factory));
            }
        }
        cl.setOut(out);
        cl.setErr(err);
        ctx.err(err);
        cl.setExecutionExceptionHandler(new ExecutionErrors());
        cl.setExitCodeExceptionMapper(t -> ExitCode.SOFTWARE);
        // The top level lists one line per command; each command's own --help has the detail, its exit
        // codes and the environment (after a footer of its own, when it has one).
        cl.getCommandSpec().usageMessage().footerHeading("%n").footer(HoistCommand.TOP_FOOTER);
        describeCommands(cl.getSubcommands().values());
        cl.setParameterExceptionHandler((ex, ignored) -> {
            ex.getCommandLine().getErr().println("hoist-cli: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            ex.getCommandLine().getErr().flush();
            // check --nagios exits 0-3 only: a usage error is UNKNOWN there, not CRITICAL (2).
            return Arrays.asList(args).contains("--nagios") ? NagiosCheck.UNKNOWN : ExitCode.BAD_INPUT;
        });
        return cl;
    }

    /** Each of these commands (and theirs, as rollout's) ends its --help with the exit codes and the environment. */
    private static void describeCommands(Collection<CommandLine> commands) {
        for (CommandLine sub : commands) {
            Command own = sub.getCommandSpec().userObject().getClass().getAnnotation(Command.class);
            List<String> footer = new ArrayList<>();
            if (own != null) {
                footer.addAll(Arrays.asList(own.footer()));
            }
            footer.add(HoistCommand.ENVIRONMENT);
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(HoistCommand.exitCodeHelp())
                    .footerHeading("%n").footer(footer.toArray(new String[0]));
            describeCommands(sub.getSubcommands().values());
        }
    }

    /**
     * The one subcommand picocli will run for these arguments, or null when it needs them all (the
     * top-level help lists them). hoist-cli itself takes no option with a value, so picocli runs the
     * first argument that names a subcommand, whatever comes before it; before it, a help option
     * ({@code -h}, {@code --help}, {@code -hV}), {@code --} or an {@code @file} means the top level's
     * own usage, which needs every subcommand.
     */
    static String subcommand(String[] args) {
        for (String a : args) {
            if (HoistCommand.SUBCOMMANDS.containsKey(a)) {
                return a;
            }
            if (a.equals("--") || a.startsWith("@") || a.equals("--help") || a.startsWith("-") && !a.startsWith("--") && a.indexOf('h') > 0) {
                return null;
            }
        }
        return null;
    }

    /** Runs one command line; returns the exit code: as Main runs it ({@link LeanCommands#run}). */
    public static int run(Context ctx, PrintWriter out, PrintWriter err, String... args) {
        return LeanCommands.run(ctx, out, err, args);
    }

    /** Runs one command line with picocli only, as {@link #run} does for anything but a plain check or status (tests compare the two). */
    static int runWithPicocli(Context ctx, PrintWriter out, PrintWriter err, String... args) {
        try (ctx) {
            int rc = commandLine(ctx, out, err, args).execute(args);
            out.flush();
            err.flush();
            return rc;
        }
    }

    /** picocli's handler for what a command throws: {@link ErrorHandler}, on the command's stderr. */
    private static final class ExecutionErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
            return ErrorHandler.report(e, cl.getErr());
        }
    }
}
