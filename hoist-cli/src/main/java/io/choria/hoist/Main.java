package io.choria.hoist;

import io.choria.hoist.cli.Cli;
import io.choria.hoist.cli.Context;
import io.choria.hoist.output.MachineLog;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Entry point: the only place that calls System.exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        String machine = System.getenv("MACHINE_NAME");
        if (machine != null && !machine.isEmpty()) {
            // Run by a Choria exec watcher, in the machine folder: keep a log there too. The nagios
            // watcher reads stdout and stderr as one output, which must be check's one line: there,
            // stderr goes to the log only.
            String command = String.join(" ", args);
            err = java.util.Arrays.asList(args).contains("--nagios")
                    ? MachineLog.logOnly(Path.of("").toAbsolutePath(), command)
                    : MachineLog.tee(err, Path.of("").toAbsolutePath(), command);
        }
        int rc = Cli.run(Context.system(), out, err, args);
        err.close();
        System.exit(rc);
    }
}
