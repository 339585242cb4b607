package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.lifecycle.CheckResult;
import io.choria.hoist.lifecycle.Checker;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.NagiosCheck;
import io.choria.hoist.lifecycle.NodeState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.WatcherData;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", description = {
    "Exit 0 when hoist_NAME exists, is running, runs the desired image with the current spec and is not unhealthy. Otherwise print the reason on stderr and exit 1. Silent on success.",
    "With --nagios, speak the Nagios plugin convention instead (Choria's nagios watcher runs it so): one line on stdout, 'STATUS - TEXT | restarts=N uptime=Ns health_ms=N', and exit 0 OK (the check passes), 1 WARNING (it passes, but Docker restarted the container within the last check_interval), 2 CRITICAL (it fails), 3 UNKNOWN (it could not be made: Docker unreachable, a bad spec or machine data, a bug; the reason is the line). Without WATCHER_DATA it reads the machine data from machine_data.json beside the spec, where Choria keeps it."})
public final class CheckCommand implements Callable<Integer> {
    /** The machine data file Choria keeps in the machine folder (go-choria aagent/machine). */
    static final String MACHINE_DATA = "machine_data.json";

    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Spec CommandSpec cmd;
    @Option(names = "--nagios", description = "Report as a Nagios plugin: one status line with performance data, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN")
    boolean nagios;
    private final Context ctx;

    public CheckCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (nagios) {
            return nagios();
        }
        SpecOptions.Loaded t = target.load(ctx, global);
        ContainerSpec spec = t.spec();
        var data = ctx.watcherData();
        NodeState state = load(t);
        CheckResult r = new Checker(ctx.reader(global), ctx::warn).check(spec, data, state);
        if (r.ok()) {
            return ExitCode.OK;
        }
        cmd.commandLine().getErr().println("hoist-cli: check failed: " + r.reason());
        return ExitCode.NOT_RUNNING;
    }

    private NodeState load(SpecOptions.Loaded t) {
        NodeState state = t.state().load();
        if (t.state().damaged()) {
            // Rewritten with what was kept, so hoist.log has the warning once; only when no other
            // command holds the lock: check never waits for it.
            ContainerLock.tryAcquire(t.folder(), "hoist-cli check " + t.spec().name(), Clock.systemUTC()).ifPresent(lock -> {
                try (lock) {
                    t.state().repair();
                }
            });
        }
        return state;
    }

    /** The Nagios form: every outcome is one line and 0-3, an error included (UNKNOWN). */
    private int nagios() {
        NagiosCheck.Report report;
        try {
            SpecOptions.Loaded t = target.load(ctx, global);
            WatcherData data = ctx.env().containsKey(WatcherData.ENV) ? ctx.watcherData() : machineData(t.folder());
            report = NagiosCheck.run(new Checker(ctx.reader(global), ctx::warn), ctx.reader(global), t.spec(), data, load(t),
                    Clock.systemUTC().instant());
        } catch (HoistException e) {
            report = NagiosCheck.unknown("hoist-cli: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug: its stack trace goes to stderr (hoist.log only, under Choria), the line says so.
            e.printStackTrace(cmd.commandLine().getErr());
            report = NagiosCheck.unknown("hoist-cli: unexpected error (a bug): " + e);
        }
        cmd.commandLine().getOut().println(report.line());
        cmd.commandLine().getOut().flush();
        // What a failed check always logged (hoist.log only, under Choria; see Main).
        if (report.status() == NagiosCheck.CRITICAL) {
            cmd.commandLine().getErr().println("hoist-cli: check failed: " + report.text());
        } else if (report.status() != NagiosCheck.OK) {
            cmd.commandLine().getErr().println(report.text().startsWith("hoist-cli: ") ? report.text() : "hoist-cli: " + report.text());
        }
        return report.status();
    }

    private static WatcherData machineData(Path folder) {
        Path file = folder.resolve(MACHINE_DATA);
        if (!Files.isRegularFile(file)) {
            return WatcherData.empty();
        }
        try {
            return WatcherData.parse(Files.readString(file, java.nio.charset.StandardCharsets.UTF_8), "machine data " + file);
        } catch (java.io.IOException e) {
            throw HoistException.badInput("machine data " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
