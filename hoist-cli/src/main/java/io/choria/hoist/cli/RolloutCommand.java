package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.kv.KvException;
import io.choria.hoist.output.Render;
import io.choria.hoist.output.RolloutText;
import io.choria.hoist.rollout.FleetView;
import io.choria.hoist.rollout.RolloutRecord;
import io.choria.hoist.rollout.RolloutService;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.Tags;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hoist-cli rollout}: only groups its subcommands, one class each (nested here); what they do
 * to the KV is {@link RolloutService}'s, how nodes act on it {@link io.choria.hoist.rollout.RolloutPolicy}'s.
 */
@Command(name = "rollout",
        description = {"See and steer a rollout across the fleet.",
            "Through the Choria Key-Value store: nodes report into the bucket HOIST_STATUS (key NAME.IDENTITY); a rollout is kept beside the tag (KEY_rollout). "
                + "The bucket and key of the tag come from the spec, a layout or --bucket/--key, as for tag; the broker as for tag."},
        subcommands = {RolloutCommand.Status.class, RolloutCommand.Start.class, RolloutCommand.Promote.class,
            RolloutCommand.Pause.class, RolloutCommand.Resume.class, RolloutCommand.Abort.class})
public final class RolloutCommand {
    /** What every subcommand takes, a picocli mixin: {@link Invocation}'s, NAME, where its tag lives, the broker. */
    static final class Target extends Invocation {
        @Parameters(index = "0", paramLabel = "NAME", description = "Container name")
        String name;

        @Option(names = "--spec", paramLabel = "FILE", description = "Container spec to read the bucket and key from")
        Path spec;

        @Mixin StoreOption store;
        @Mixin TagTarget where;
        @Mixin ConnectionFlags nats;

        Target(Context ctx) {
            super(ctx);
        }

        KvLocation tagKey() {
            if (!SpecParser.NAME.matches(name)) {
                throw HoistException.badInput(SpecParser.notAName(Tags.printable(name)));
            }
            where.check();
            return where.find(ctx, name, spec, store.store).location();
        }

        RolloutService service() {
            return new RolloutService(ctx.tagStore(nats), Clock.systemUTC(), ctx::say);
        }
    }

    /** Exit status of a view: 0 complete (or canaries healthy), 6 failed, 1 otherwise. */
    static int exitCode(FleetView v) {
        return switch (v.verdict()) {
            case COMPLETE, CANARIES_HEALTHY -> ExitCode.OK;
            case FAILED -> ExitCode.START_FAILED;
            default -> ExitCode.NOT_RUNNING;
        };
    }

    /** Redraws (a terminal) or prints changed lines (anything else) until the rollout settles; then the table. */
    static int watch(Context ctx, RolloutService s, String name, KvLocation key, PrintWriter out, boolean json, Duration every) {
        boolean bar = System.console() != null && !json;
        String last = null;
        FleetView v;
        FleetView seen = null;
        while (true) {
            try {
                v = s.view(name, key);
                seen = v;
            } catch (KvException e) {
                if (seen == null && e instanceof BucketMissingException) {
                    throw e;
                }
                // A broker that goes away (a cluster electing a new leader, a server restarted) is
                // waited out: --watch follows a rollout, and the rollout goes on meanwhile.
                ctx.warn("cannot read the rollout of " + name + " now (" + e.getMessage() + "); trying again");
                if (!sleep(every)) {
                    break;
                }
                continue;
            }
            Instant now = Instant.now();
            String line = RolloutText.progress(v, bar, now);
            if (bar) {
                out.print("\r\033[K" + line);
                out.flush();
            } else if (!json && !stripTime(line).equals(last == null ? null : stripTime(last))) {
                out.println(line);
                out.flush();
                last = line;
            }
            if (v.verdict().settled() || !sleep(every)) {
                break;
            }
        }
        v = seen;
        if (v == null) {
            throw new KvException("interrupted before the rollout of " + name + " could be read", null);
        }
        if (bar) {
            out.println();
        }
        out.print(json ? Render.json(RolloutText.json(v)) + System.lineSeparator() : System.lineSeparator() + RolloutText.table(v, Instant.now()));
        out.flush();
        return exitCode(v);
    }

    /** Sleeps; false when interrupted. */
    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String stripTime(String line) {
        return line.length() > 9 ? line.substring(9) : line;
    }

    @Command(name = "status", description = {"Show every node's tag, health and state, and a verdict.",
            "Show every node's state of NAME (identity, tag, healthy, since, machine state, last error) and a summary: "
            + "v2: 7 healthy, 1 starting; v1: 1; failed: v3 on n4.",
        "--watch redraws until the rollout is complete, failed, aborted, its canaries are healthy or its deadline passes: a progress bar on a terminal, "
            + "one plain line per change otherwise (CI logs); a broker that cannot be read meanwhile is retried with a warning. "
            + "A rollout past its deadline is marked failed here (and aborted, with --auto-revert).",
        "Exit 0 when complete (or its canaries are healthy), 6 when failed, 1 otherwise."})
    static final class Status implements Callable<Integer> {
        @Mixin Target target;
        @Option(names = "--json", description = "Print JSON: tag, failed_marker, rollout, verdict, summary, done, wanted, nodes") boolean json;
        @Option(names = "--watch", description = "Follow the rollout until it settles") boolean watch;
        @Option(names = "--interval", paramLabel = "SECONDS", description = "With --watch: seconds between reads (default ${DEFAULT-VALUE})") int interval = 1;

        @Override
        public Integer call() {
            KvLocation key = target.tagKey();
            RolloutService s = target.service();
            PrintWriter out = target.out();
            if (watch) {
                return watch(target.ctx, s, target.name, key, out, json, Duration.ofSeconds(Math.max(1, interval)));
            }
            FleetView v = s.view(target.name, key);
            out.print(json ? Render.json(RolloutText.json(v)) + System.lineSeparator() : RolloutText.table(v, Instant.now()));
            out.flush();
            return exitCode(v);
        }
    }

    @Command(name = "start", description = {"Roll TAG out, to N canaries first with --canary N.",
            "Roll TAG out: write the rollout beside the tag, clear the failure marker, then write TAG. "
            + "With --canary N exactly N nodes take TAG (each claims a slot with a create-only key, so no slot goes to two nodes) while the others "
            + "stay on the current tag until 'rollout promote'; without, every node takes it under the restart governor, as a plain tag write does."})
    static final class Start implements Callable<Integer> {
        @Mixin Target target;
        @Parameters(index = "1", paramLabel = "TAG", description = "The tag to roll out") String tag;
        @Option(names = "--canary", paramLabel = "N", description = "Nodes that take TAG before it is promoted (default: all)") int canary;
        @Option(names = "--deadline", paramLabel = "DURATION", description = "The rollout must converge within this (e.g. 10m, 90s, 2h); status reports it failed after") String deadline;
        @Option(names = "--auto-revert", description = "With --deadline: abort the rollout when the deadline passes before it converged") boolean autoRevert;
        @Option(names = "--watch", description = "Then follow it, as rollout status --watch") boolean watch;
        @Option(names = "--json", description = "With --watch: print the final status as JSON") boolean json;

        @Override
        public Integer call() {
            Duration d = deadline == null ? null : duration(deadline);
            if (autoRevert && d == null) {
                throw HoistException.badInput("--auto-revert needs --deadline");
            }
            if (!Tags.isValid(tag)) {
                throw HoistException.badInput("refusing to roll out: " + Tags.whyInvalid(tag));
            }
            KvLocation key = target.tagKey();
            RolloutService s = target.service();
            RolloutRecord r = s.start(key, tag, canary, d, autoRevert);
            target.ctx.say("rollout " + r.id() + " of " + target.name + ": " + (r.from() == null ? "image_tag" : r.from()) + " -> " + r.tag()
                    + (r.canary() > 0 ? ", " + r.canary() + " canar" + (r.canary() == 1 ? "y" : "ies") + " first (then: hoist-cli rollout promote "
                    + target.name + ")" : ", every node") + (r.deadline() != null ? ", deadline " + r.deadline() : ""));
            if (watch) {
                return watch(target.ctx, s, target.name, key, target.out(), json, Duration.ofSeconds(1));
            }
            target.out().println(r.id());
            return ExitCode.OK;
        }

        static Duration duration(String s) {
            Matcher m = Pattern.compile("^(\\d{1,7})([hms])$").matcher(s);
            if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
                throw HoistException.badInput("--deadline '" + Tags.printable(s) + "' is not a duration such as 90s, 10m or 2h");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        }
    }

    /** promote, pause, resume, abort: one change to the rollout that governs the tag. */
    abstract static class Change implements Callable<Integer> {
        @Mixin Target target;

        abstract RolloutRecord apply(RolloutService s, KvLocation key);

        @Override
        public Integer call() {
            KvLocation key = target.tagKey();
            RolloutRecord r = apply(target.service(), key);
            // What was done: the command's name in the past tense (promoted, paused, resumed, aborted).
            String name = target.cmd.name();
            String done = name.endsWith("e") ? name + "d" : name + "ed";
            target.out().println("rollout " + r.id() + " of " + target.name + " (" + r.tag() + "): " + done + "; now " + r.phase());
            target.out().flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "promote", description = {"Let the rest of the fleet follow the canaries.", "Let every node take the rollout's tag (after its canaries), one governor slot at a time. Exit 1 when no rollout governs the tag."})
    static final class Promote extends Change {
        @Override
        RolloutRecord apply(RolloutService s, KvLocation key) {
            return s.change(key, "promote", RolloutRecord::promote);
        }
    }

    @Command(name = "pause", description = {"Stop nodes taking the rollout's tag.", "Stop nodes taking the rollout's tag; those that run it keep it. Exit 1 when no rollout governs the tag."})
    static final class Pause extends Change {
        @Override
        RolloutRecord apply(RolloutService s, KvLocation key) {
            return s.change(key, "pause", r -> r.pause(true));
        }
    }

    @Command(name = "resume", description = {"Let nodes take the rollout's tag again.", "Let nodes take the rollout's tag again after a pause. Exit 1 when no rollout governs the tag."})
    static final class Resume extends Change {
        @Override
        RolloutRecord apply(RolloutService s, KvLocation key) {
            return s.change(key, "resume", r -> r.pause(false));
        }
    }

    @Command(name = "abort", description = {"Send every node back to the previous tag.", "Write the previous tag back (delete the tag when there was none: image_tag applies): the canaries, and any node "
            + "that took the tag, return to it under the governor. Exit 1 when no rollout governs the tag."})
    static final class Abort extends Change {
        @Override
        RolloutRecord apply(RolloutService s, KvLocation key) {
            return s.abort(key, "aborted by the operator");
        }
    }
}
