package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.fleet.TagAt;
import io.choria.hoist.fleet.TagHistory;
import io.choria.hoist.fleet.TagOutput;
import io.choria.hoist.fleet.TagRead;
import io.choria.hoist.fleet.TagWrite;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.Tags;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hoist-cli tag}: parsing only. The three forms are {@link TagRead} ({@code tag NAME}),
 * {@link TagHistory} ({@code tag NAME --history}) and {@link TagWrite} ({@code tag NAME TAG}); where the
 * tag lives is {@link TagTarget}'s to find. They are forms of one command, not subcommands: a
 * container may be named {@code set} or {@code history}.
 */
@Command(name = "tag",
        description = {
            "Show or set the desired tag in the Key-Value store.",
            "tag NAME: print the tag the KV asks for on stdout (--json: tag, revision, time, bucket, key). "
                + "tag NAME --history[=N]: list the values the bucket keeps for the key, oldest first (the last N). "
                + "tag NAME TAG: check TAG (Docker's tag grammar, or sha256:<64 hex>), write it and clear the fleet's failure marker "
                + "(KEY_failed); an invalid TAG is refused and nothing is written.",
            "The bucket and key come from the container's spec (--spec, ./container.json in its machine folder, else STORE/hoist_NAME/container.json); "
                + "without a spec, from the default layout: bucket HOIST_NAME, key TAG. --layout, --bucket and --key override both. Docker is not used."},
        footerHeading = "%n",
        footer = {
            "When the key is not set (never written, deleted, or empty) the spec's image_tag applies: tag NAME says so on stderr and exits 1.",
            "Broker: --server, else --choria-config FILE, else $HOIST_NATS_URL, else the Choria client configuration (~/.choriarc, /etc/choria/client.conf): "
                + "plugin.choria.middleware_hosts and the certificates of plugin.security.provider (file or puppet)."})
public final class TagCommand implements Callable<Integer> {
    /** tag NAME: the key is not set (never written, deleted, or empty), so the spec's image_tag applies. */
    public static final int KEY_NOT_SET = TagRead.KEY_NOT_SET;
    /** Bucket defaults for --create, as {@code choria kv add}. */
    static final int DEFAULT_BUCKET_HISTORY = 5;
    static final int MAX_BUCKET_HISTORY = 64;
    static final int MAX_REPLICAS = 5;

    @Mixin SpecOptions target;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TAG", description = "The tag to write (omit to read)")
    String tag;

    @Mixin StoreOption store;
    @Mixin TagTarget where;
    @Mixin ConnectionFlags nats;

    @Option(names = "--json", description = "Print JSON")
    boolean json;

    @Option(names = "--history", arity = "0..1", paramLabel = "N", fallbackValue = "0",
            description = {"List the values the bucket keeps for the key, oldest first (the last N with a number).",
                "With TAG and --create: the older spelling of --bucket-history N."})
    Integer history;

    @Option(names = "--create", description = "With TAG: create the bucket when it does not exist")
    boolean create;

    @Option(names = "--bucket-history", paramLabel = "N",
            description = "With --create: values the new bucket keeps per key (default " + DEFAULT_BUCKET_HISTORY + ", at most " + MAX_BUCKET_HISTORY + ")")
    Integer bucketHistory;

    @Option(names = "--replicas", paramLabel = "N", description = "With --create: servers that keep a copy of the bucket (default 1, at most " + MAX_REPLICAS + ")")
    Integer replicas;

    @Spec CommandSpec cmd;

    private final Context ctx;

    public TagCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        String name = target.name;
        if (!SpecParser.NAME.matches(name)) {
            throw HoistException.badInput(SpecParser.notAName(Tags.printable(name)));
        }
        if (tag != null && !Tags.isValid(tag)) {
            throw HoistException.badInput("refusing to write: " + Tags.whyInvalid(tag));
        }
        TagWrite.NewBucket newBucket = tag != null ? newBucket() : null;
        if (tag == null) {
            checkReadOptions();
        }
        where.check();
        TagAt at = where.find(ctx, name, target.spec, store.store);
        TagStore kv = ctx.tagStore(nats);
        TagOutput output = new TagOutput(cmd.commandLine().getOut(), json, ctx::say);
        if (tag != null) {
            return TagWrite.run(kv, at, tag, newBucket, output);
        }
        if (history != null) {
            return TagHistory.run(kv, at, history, output);
        }
        return TagRead.run(kv, at, output);
    }

    private void checkReadOptions() {
        if (create || replicas != null || bucketHistory != null) {
            throw HoistException.badInput("--create, --bucket-history and --replicas need a TAG to write");
        }
        if (history != null && history < 0) {
            throw HoistException.badInput("--history N must not be negative");
        }
    }

    /** The bucket --create makes when it is missing; null without --create. */
    private TagWrite.NewBucket newBucket() {
        Integer h = bucketHistory;
        if (history != null) {
            if (h != null) {
                throw HoistException.badInput("--history N with a TAG is the older spelling of --bucket-history N: give one of them");
            }
            h = history;
        }
        if (!create) {
            if (h != null || replicas != null) {
                throw HoistException.badInput("--bucket-history N (or --history N) and --replicas N with a TAG set up a new bucket: give --create as well");
            }
            return null;
        }
        if (h != null && (h < 1 || h > MAX_BUCKET_HISTORY)) {
            throw HoistException.badInput("--bucket-history must be 1 to " + MAX_BUCKET_HISTORY + " for a new bucket, got " + h);
        }
        if (replicas != null && (replicas < 1 || replicas > MAX_REPLICAS)) {
            throw HoistException.badInput("--replicas must be 1 to " + MAX_REPLICAS + ", got " + replicas);
        }
        return new TagWrite.NewBucket(h == null ? DEFAULT_BUCKET_HISTORY : h, replicas == null ? 1 : replicas);
    }
}
