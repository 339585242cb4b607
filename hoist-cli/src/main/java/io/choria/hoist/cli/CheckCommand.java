package io.choria.hoist.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * picocli's {@code check}: its help, and the command lines {@link LeanCheck#parse} leaves to picocli.
 * A plain {@code check NAME [--nagios]} runs {@link LeanCheck} without picocli; both run
 * {@link LeanCheck#run} or {@link LeanCheck#nagios}.
 */
@Command(name = "check", description = {
    "Exit 0 when the container runs as specified, else 1 and why.",
    "Exit 0 when hoist_NAME exists, is running, runs the desired image with the current spec and is not unhealthy. Otherwise print the reason on stderr and exit 1. Silent on success.",
    "With --nagios, speak the Nagios plugin convention instead (Choria's nagios watcher runs it so): one line on stdout, 'STATUS - TEXT | restarts=N uptime=Ns health_ms=N', and exit 0 OK (the check passes), 1 WARNING (it passes, but Docker restarted the container within the last check_interval), 2 CRITICAL (it fails), 3 UNKNOWN (it could not be made: Docker unreachable, a bad spec or machine data, a bug; the reason is the line). Without WATCHER_DATA it reads the machine data from machine_data.json beside the spec, where Choria keeps it."})
public final class CheckCommand implements Callable<Integer> {
    @Mixin OneContainer container;
    @Option(names = "--nagios", description = "Report as a Nagios plugin: one status line with performance data, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN")
    boolean nagios;

    @Override
    public Integer call() {
        OneContainer c = container;
        return nagios ? LeanCheck.nagios(c.ctx, c.global, c.target, c.out(), c.err()) : LeanCheck.run(c.ctx, c.global, c.target, c.err());
    }
}
