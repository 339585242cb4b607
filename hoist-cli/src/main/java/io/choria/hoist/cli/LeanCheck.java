package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.fleet.Reports;
import io.choria.hoist.fleet.Warnings;
import io.choria.hoist.lifecycle.CheckResult;
import io.choria.hoist.lifecycle.Checker;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.NagiosCheck;
import io.choria.hoist.lifecycle.NodeState;
import io.choria.hoist.spec.WatcherData;
import io.choria.hoist.startup.LeanCommandLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code check} without picocli: every node runs it for every container every few minutes.
 * {@link LeanCommandLine} takes its plain command lines, which {@link LeanCommands#run} runs; {@link CheckCommand}
 * (picocli's, for the rest) runs the same {@link #run} and {@link #nagios}. On check's path: the
 * rules of {@link io.choria.hoist.startup} apply (StartupPathTest).
 */
final class LeanCheck {
    /** The machine data file Choria keeps in the machine folder (go-choria aagent/machine). */
    static final String MACHINE_DATA = "machine_data.json";

    private LeanCheck() {
    }

    /** A check command line picocli would accept and run, as its options; null for anything else. */
    static LeanCommandLine parse(String[] args) {
        return LeanCommandLine.check(args);
    }

    /** The check: exit 0 when the container is as specified, else its reason on stderr and exit 1. */
    static int run(Context ctx, GlobalOptions global, SpecOptions target, PrintWriter err) {
        SpecOptions.Loaded t = target.load(ctx, global);
        CheckResult r = inspectAndReport(ctx, global, t, ctx.watcherData(), load(t)).result();
        if (r.ok()) {
            return ExitCode.OK;
        }
        err.println("hoist-cli: check failed: " + r.reason());
        return ExitCode.NOT_RUNNING;
    }

    /** The check, both forms: what it saw, after the node's status report of it (see Reports). */
    private static Checker.Seen inspectAndReport(Context ctx, GlobalOptions global, SpecOptions.Loaded t, WatcherData data,
            NodeState state) {
        Checker.Seen seen = new Checker(ctx.reader(global), new Warnings(ctx)).inspect(t.spec(), data, state);
        Reports.afterCheck(ctx, t.folder(), t.spec(), seen, state);
        return seen;
    }

    private static NodeState load(SpecOptions.Loaded t) {
        NodeState state = t.state().load();
        if (t.state().damaged()) {
            // Rewritten with what was kept, so hoist.log has the warning once; only when no other
            // command holds the lock: check never waits for it.
            Optional<ContainerLock> lock = ContainerLock.tryAcquire(t.folder(), "hoist-cli check " + t.spec().name(), Clock.systemUTC());
            if (lock.isPresent()) {
                try (ContainerLock held = lock.get()) {
                    t.state().repair();
                }
            }
        }
        return state;
    }

    /**
     * {@code check --nagios}: every outcome is one line on {@code out} and 0-3, an error included
     * (UNKNOWN); what a failed check always logged goes to {@code err} (hoist.log only, under Choria:
     * see Main).
     */
    static int nagios(Context ctx, GlobalOptions global, SpecOptions target, PrintWriter out, PrintWriter err) {
        NagiosCheck.Report report;
        try {
            SpecOptions.Loaded t = target.load(ctx, global);
            WatcherData data = ctx.env().containsKey(WatcherData.ENV) ? ctx.watcherData() : machineData(t.folder());
            report = NagiosCheck.run(inspectAndReport(ctx, global, t, data, load(t)), ctx.reader(global), t.spec(),
                    Clock.systemUTC().instant());
        } catch (HoistException e) {
            report = NagiosCheck.unknown("hoist-cli: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug: its stack trace goes to stderr (hoist.log only, under Choria), the line says so.
            e.printStackTrace(err);
            report = NagiosCheck.unknown("hoist-cli: unexpected error (a bug): " + e);
        }
        out.println(report.line());
        out.flush();
        if (report.status() == NagiosCheck.CRITICAL) {
            err.println("hoist-cli: check failed: " + report.text());
        } else if (report.status() != NagiosCheck.OK) {
            err.println(report.text().startsWith("hoist-cli: ") ? report.text() : "hoist-cli: " + report.text());
        }
        return report.status();
    }

    private static WatcherData machineData(Path folder) {
        Path file = folder.resolve(MACHINE_DATA);
        if (!Files.isRegularFile(file)) {
            return WatcherData.empty();
        }
        try {
            return WatcherData.parse(Files.readString(file, StandardCharsets.UTF_8), "machine data " + file);
        } catch (IOException e) {
            throw HoistException.badInput("machine data " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }
}
