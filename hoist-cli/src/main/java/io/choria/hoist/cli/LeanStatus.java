package io.choria.hoist.cli;

import io.choria.hoist.kv.ConnectionFlags;
import java.io.PrintWriter;

/**
 * {@code status} without picocli: {@code status [NAME] [--json]} with {@code --store} and
 * {@code --docker-host} ({@link LeanCommandLine}); the Key-Value options, help and usage errors
 * go to picocli. Both run {@link StatusCommand#call()}.
 */
final class LeanStatus {
    private LeanStatus() {
    }

    /** A status command line picocli would accept and run, as its options; null for anything else. */
    static LeanCommandLine parse(String[] args) {
        return LeanCommandLine.parse(args, "status", false, false, "--json");
    }

    /** Runs a parsed status ({@link Cli#run} reports what it throws, as picocli would). */
    static int call(Context ctx, LeanCommandLine args, PrintWriter out) {
        StatusCommand status = new StatusCommand(ctx);
        status.global = args.global;
        status.nats = new ConnectionFlags();
        status.name = args.target.name;
        status.json = args.json;
        status.out = out;
        return status.call();
    }
}
