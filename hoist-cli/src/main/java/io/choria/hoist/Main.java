package io.choria.hoist;

import io.choria.hoist.cli.LeanCommands;
import io.choria.hoist.cli.Context;
import io.choria.hoist.output.MachineLog;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** Entry point: the only place that calls System.exit. */
public final class Main {
    /** The system property that names the NIO selector provider. */
    static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

    private Main() {
    }

    /**
     * Names the JDK's own selector provider on Linux, unless one is named already. Without it, the
     * first socket (the Engine's, in every check) makes the JDK look for another provider as a
     * service: a search of its modules and of the jar's whole index (some 15,000 entries), with
     * streams and reflection, about a tenth of a check's CPU. The same provider is used either way.
     */
    static void nameSelectorProvider() {
        if (System.getProperty(SELECTOR_PROVIDER) == null && "Linux".equals(System.getProperty("os.name"))) {
            System.setProperty(SELECTOR_PROVIDER, "sun.nio.ch.EPollSelectorProvider");
        }
    }

    public static void main(String[] args) {
        nameSelectorProvider();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        String machine = System.getenv("MACHINE_NAME");
        if (machine != null && !machine.isEmpty()) {
            // Run by a Choria exec watcher, in the machine folder: keep a log there too. The nagios
            // watcher reads stdout and stderr as one output, which must be check's one line: there,
            // stderr goes to the log only.
            String command = String.join(" ", args);
            err = Arrays.asList(args).contains("--nagios")
                    ? MachineLog.logOnly(Path.of("").toAbsolutePath(), command)
                    : MachineLog.tee(err, Path.of("").toAbsolutePath(), command);
        }
        int rc = LeanCommands.run(Context.system(), out, err, args);
        err.close();
        System.exit(rc);
    }
}
