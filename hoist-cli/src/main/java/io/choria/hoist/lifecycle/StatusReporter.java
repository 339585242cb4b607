package io.choria.hoist.lifecycle;

import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.rollout.NodeReport;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.spec.ContainerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Writes this node's {@link NodeReport} of a container into the status bucket, cheaply: the report
 * last written is kept in the machine folder ({@code hoist-status.json}); a check writes only when
 * its report differs from it or it is older than {@link #REFRESH}, so a check that finds nothing
 * new neither connects to the broker nor loads its client. Start, restart, update and rollback
 * always write. Without a broker, nothing is written and nothing fails; a broker that cannot be
 * reached costs one warning, and the next check tries again.
 */
public final class StatusReporter {
    /** The file beside {@code hoist-state.json} that holds the report last written. */
    public static final String FILE_NAME = "hoist-status.json";
    /** A check rewrites an unchanged report this old, so that the bucket's TTL does not drop a live node. */
    public static final Duration REFRESH = Duration.ofMinutes(5);
    /** The status bucket's TTL when a node creates it: a node silent this long vanishes from rollout status. */
    public static final Duration TTL = Duration.ofMinutes(15);
    /** The status bucket's default name. */
    public static final String BUCKET = "HOIST_STATUS";

    /** Where reports go: the status bucket, or nowhere. */
    public interface Sink {
        /** Writes the report; false when there is no broker to write to. Throws when the broker fails. */
        boolean write(NodeReport report);

        /** Whether a broker is configured at all (no connection made): without one, nothing is prepared. */
        default boolean configured() {
            return true;
        }
    }

    private final Path file;
    private final Supplier<Sink> sink;
    private final Clock clock;
    private final Consumer<String> warn;

    public StatusReporter(Path folder, Supplier<Sink> sink, Clock clock, Consumer<String> warn) {
        this.file = folder.resolve(FILE_NAME);
        this.sink = sink;
        this.clock = clock;
        this.warn = warn;
    }

    /** The machine state a command runs in, from the exec watcher's name (Choria sets MACHINE_WATCHER_NAME). */
    public static String machineState(Map<String, String> env) {
        String w = env.get("MACHINE_WATCHER_NAME");
        if (w == null) {
            return null;
        }
        return switch (w) {
            case "initial_check" -> "START";
            case "check" -> "RUN";
            case "remediate" -> "REMEDIATE";
            case "restart" -> "RESTART";
            case "update" -> "UPDATE";
            case "stop" -> "STOP";
            default -> null;
        };
    }

    /** The report of a container as found: {@code error} null when it is healthy and as desired. */
    public static NodeReport of(String identity, ContainerSpec spec, Optional<ManagedContainer> c, RolloutPolicy.Decision d,
            NodeState state, String error, String machineState) {
        String err = error;
        if (err == null && state.lastFailure() != null) {
            err = state.lastFailure().reason();
        }
        if (err != null && err.length() > NodeReport.MAX_ERROR) {
            err = err.substring(0, NodeReport.MAX_ERROR - 3) + "...";
        }
        // A check reports: the rules of io.choria.hoist.startup apply.
        ManagedContainer m = c.isPresent() ? c.get() : null;
        return new NodeReport(identity, spec.name(), m == null ? null : m.tagOf(spec.image()), m == null ? null : m.imageId(),
                d == null ? null : d.tag(), error == null && c.isPresent(), null, machineState, state.lastGoodTag(spec.image()),
                state.failedTag(spec.image()), err, state.canary() == null ? null : state.canary().rollout(),
                state.canary() == null ? null : state.canary().slot(), null);
    }

    /**
     * Writes REPORT when it is news (or always, with {@code force}); fills in since and at from what
     * was written last. Never throws: reporting is best effort.
     */
    public void report(NodeReport report, boolean force) {
        // A check runs this every time: what it finds unchanged, or without a broker, costs no time
        // formatting (java.time's formatters start the JDK's lambda machinery) and no client.
        Instant now = clock.instant();
        Last last = readLast();
        boolean keepSince = report.healthy() && last != null && last.report.healthy()
                && Objects.equals(last.report.digest(), report.digest()) && last.report.since() != null;
        String since = keepSince ? last.report.since() : null;
        if (!force && last != null && report.withSince(since).sameAs(last.report) && last.written.plus(REFRESH).isAfter(now)) {
            return;
        }
        try {
            Sink s = sink.get();
            if (!s.configured()) {
                return;
            }
            if (report.healthy() && !keepSince) {
                since = now.toString();
            }
            NodeReport r = report.withSince(since).withAt(now.toString());
            if (s.write(r)) {
                writeLast(r, now);
            }
        } catch (RuntimeException e) {
            warn.accept("cannot report the status of " + report.container() + ": " + e.getMessage());
        }
    }

    private record Last(NodeReport report, Instant written) {
    }

    private Last readLast() {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            Optional<NodeReport> r = NodeReport.parse(Files.readString(file, StandardCharsets.UTF_8));
            // When it was written: the file's time, which writeLast sets (no date parsing on a check).
            return r.isPresent() ? new Last(r.get(), Files.getLastModifiedTime(file).toInstant()) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void writeLast(NodeReport r, Instant at) {
        try {
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(tmp, r.toJson(), StandardCharsets.UTF_8);
            Files.setLastModifiedTime(tmp, FileTime.from(at));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            warn.accept("cannot keep " + file + ": " + e.getMessage());
        }
    }
}
