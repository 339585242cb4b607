package io.choria.hoist.lifecycle;

import io.choria.hoist.docker.EngineReader;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code hoist-cli check --nagios}: the check as a Nagios plugin, which Choria's {@code nagios}
 * watcher runs (go-choria's nagios watcher fires the event named after the exit code and
 * publishes the output and performance data as a Scout CloudEvent).
 *
 * <ul>
 *   <li>0 OK: {@code check} passes.</li>
 *   <li>1 WARNING: {@code check} passes, but Docker restarted the container within the last
 *       {@code check_interval} (its restart policy brought it back; nothing to remediate).</li>
 *   <li>2 CRITICAL: {@code check} fails (the machine remediates, as for a failed check).</li>
 *   <li>3 UNKNOWN: the check could not be made (Docker unreachable, a bad spec or machine data,
 *       a bug); see {@link #unknown}.</li>
 * </ul>
 *
 * The output is one line, {@code STATUS - TEXT | restarts=N uptime=Ns health_ms=N}, with the
 * performance data whenever the container exists. Choria parses the performance data from the
 * whole output, splitting it at {@code |} (go-choria 0.30.2 {@code aagent/util/nagios.go}), and
 * a second {@code |} or a {@code KEY=VALUE} pair with a non-numeric value after the first would
 * lose or break it: the text never holds a {@code |} and nothing follows the line.
 */
public final class NagiosCheck {
    public static final int OK = 0;
    public static final int WARNING = 1;
    public static final int CRITICAL = 2;
    public static final int UNKNOWN = 3;

    private static final String[] NAMES = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

    /** The plugin's result: its exit status, its one output line, and the line's text alone. */
    public record Report(int status, String line, String text) {
    }

    private NagiosCheck() {
    }

    /** Reports what the check saw. Exceptions are the caller's (it turns them into {@link #unknown}). */
    public static Report run(Checker.Seen seen, EngineReader engine, ContainerSpec spec, Instant now) {
        // check --nagios: the rules of io.choria.hoist.startup apply.
        ManagedContainer c = seen.container().isPresent() ? engine.details(seen.container().get()) : null;
        // Docker keeps an exited container's last start time: its uptime is 0, not the time since.
        long uptime = c != null && c.running() ? uptimeSeconds(c, now) : 0L;
        int restarts = c != null ? c.restartCount() : 0;
        String perf = "restarts=" + restarts + " uptime=" + uptime + "s health_ms=" + seen.probeMillis();
        if (!seen.result().ok()) {
            return report(CRITICAL, seen.result().reason(), perf);
        }
        String runs = spec.containerName() + " runs " + c.imageRef();
        long interval = SpecParser.seconds(spec.checkInterval());
        if (restarts > 0 && uptime < interval) {
            return report(WARNING, runs + ", restarted by Docker " + uptime + "s ago (" + restarts
                    + (restarts == 1 ? " restart" : " restarts") + " in all)", perf);
        }
        return report(OK, runs + ", up " + uptime + "s", perf);
    }

    /** UNKNOWN with the reason the check could not be made, and no performance data. */
    public static Report unknown(String reason) {
        return report(UNKNOWN, reason, null);
    }

    static Report report(int status, String text, String perf) {
        String line = NAMES[status] + " - " + oneLine(text);
        return new Report(status, perf == null ? line : line + " | " + perf, oneLine(text));
    }

    /** The text on one line, without the {@code |} that starts the performance data. */
    static String oneLine(String text) {
        StringBuilder b = new StringBuilder();
        if (text != null) {
            boolean blank = false;
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (ch == '\r' || ch == '\n' || ch == '\t') {
                    blank = true; // a run of them is one space
                    continue;
                }
                if (blank) {
                    b.append(' ');
                    blank = false;
                }
                b.append(ch == '|' ? '/' : ch);
            }
        }
        String s = b.toString().trim();
        return s.length() > 300 ? s.substring(0, 297) + "..." : s;
    }

    /** Seconds since the container last started; 0 when Docker gives no (or Go's zero) start time. */
    static long uptimeSeconds(ManagedContainer c, Instant now) {
        if (c.startedAt() == null || c.startedAt().startsWith("0001-")) {
            return 0;
        }
        try {
            return Math.max(0, Duration.between(Instant.parse(c.startedAt()), now).getSeconds());
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
