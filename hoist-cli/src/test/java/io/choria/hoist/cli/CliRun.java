package io.choria.hoist.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One hoist-cli command line run in a test, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    /** Runs ARGS with {@link Cli#run}, or with picocli alone ({@link Cli#runWithPicocli}) when {@code picocliOnly}. */
    static CliRun of(Context ctx, boolean picocliOnly, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        PrintWriter out = new PrintWriter(o);
        PrintWriter err = new PrintWriter(e);
        int rc = picocliOnly ? Cli.runWithPicocli(ctx, out, err, args) : Cli.run(ctx, out, err, args);
        return new CliRun(rc, o.toString(), e.toString());
    }
}
