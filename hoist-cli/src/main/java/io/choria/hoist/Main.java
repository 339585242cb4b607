package io.choria.hoist;

import io.choria.hoist.cli.Cli;
import io.choria.hoist.cli.Context;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Entry point: the only place that calls System.exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        System.exit(Cli.run(Context.system(), out, err, args));
    }
}
