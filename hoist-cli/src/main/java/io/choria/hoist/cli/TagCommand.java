package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.kv.KvException;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.output.Render;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.SpecLoader;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.Tags;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tag",
        description = {
            "Show or set the tag a container should run, kept in the Choria Key-Value store.",
            "With NAME only: print the desired tag on stdout (--json: tag, revision, time, bucket, key; --history: every value the bucket keeps). "
                + "With NAME TAG: check TAG (Docker's tag grammar, or sha256:<64 hex>) and write it; an invalid TAG is refused and nothing is written.",
            "The bucket and key come from the container's spec (--spec, ./container.json in its machine folder, else STORE/hoist_NAME/container.json); "
                + "without a spec, from the default layout: bucket HOIST_NAME, key TAG. --layout, --bucket and --key override both. Docker is not used."},
        footerHeading = "%n",
        footer = {
            "When the key is not set (never written, or deleted) the spec's image_tag applies: tag NAME says so on stderr and exits 1.",
            "Broker: --server, else --choria-config FILE, else $HOIST_NATS_URL, else the Choria client configuration (~/.choriarc, /etc/choria/client.conf): "
                + "plugin.choria.middleware_hosts and the certificates of plugin.security.provider (file or puppet)."})
public final class TagCommand implements Callable<Integer> {
    /** tag NAME: the key is not set (never written, or deleted), so the spec's image_tag applies. */
    public static final int KEY_NOT_SET = ExitCode.NOT_RUNNING;
    /** Bucket defaults for --create, as {@code choria kv add}. */
    static final int DEFAULT_BUCKET_HISTORY = 5;
    static final int MAX_BUCKET_HISTORY = 64;
    static final int MAX_REPLICAS = 5;
    /** Container names, as the spec and the Puppet module's Hoist::Name allow them. */
    /** Keys a Choria kv watcher can watch (machine-manifest-v1.json). */

    /** Where the tag lives when no spec says: the two layouts the Puppet module offers. */
    public enum Layout { container, shared }

    @Parameters(index = "0", paramLabel = "NAME", description = "Container name")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TAG", description = "The tag to write (omit to read)")
    String tag;

    @Option(names = "--json", description = "Print JSON")
    boolean json;

    @Option(names = "--history", arity = "0..1", paramLabel = "N", fallbackValue = "0",
            description = {"Reading: list the values the bucket keeps for the key, oldest first (the last N with a number).",
                "With TAG and --create: keep N values per key in the new bucket (default " + DEFAULT_BUCKET_HISTORY + ", at most " + MAX_BUCKET_HISTORY + ")."})
    Integer history;

    @Option(names = "--create", description = "Create the bucket when it does not exist (with TAG only)")
    boolean create;

    @Option(names = "--replicas", paramLabel = "N", description = "With --create: servers that keep a copy of the bucket (default 1, at most " + MAX_REPLICAS + ")")
    Integer replicas;

    @Option(names = "--layout", paramLabel = "LAYOUT",
            description = "Use a layout instead of the spec's: container (bucket HOIST_NAME, key TAG) or shared (bucket HOIST, key container/NAME/tag)")
    Layout layout;

    @Option(names = "--bucket", paramLabel = "BUCKET", description = "Use this bucket (with --layout shared: the shared bucket)")
    String bucket;

    @Option(names = "--key", paramLabel = "KEY", description = "Use this key")
    String key;

    @Option(names = "--spec", paramLabel = "FILE", description = "Container spec to take the bucket and key from")
    Path spec;

    @Option(names = "--store", paramLabel = "DIR", description = "Choria machine store holding hoist_NAME/container.json (default: ${DEFAULT-VALUE})")
    Path store = SpecLoader.DEFAULT_STORE;

    @Mixin ConnectionFlags nats;
    @Spec CommandSpec cmd;

    private final Context ctx;

    public TagCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        if (!SpecParser.NAME.matcher(name).matches()) {
            throw HoistException.badInput("'" + Tags.printable(name) + "' is not a container name (must match " + SpecParser.NAME.pattern() + ")");
        }
        if (tag != null && !Tags.isValid(tag)) {
            throw HoistException.badInput("refusing to write: " + Tags.whyInvalid(tag));
        }
        checkOptions();
        Optional<ContainerSpec> found = findSpec();
        KvLocation loc = location(found);
        TagStore store = ctx.tagStore(nats);
        if (tag != null) {
            return write(store, loc);
        }
        if (history != null) {
            return history(store, loc, found);
        }
        return read(store, loc, found);
    }

    private void checkOptions() {
        if (tag == null && (create || replicas != null)) {
            throw HoistException.badInput("--create and --replicas need a TAG to write");
        }
        if (tag != null && !create && (history != null || replicas != null)) {
            throw HoistException.badInput("--history N and --replicas N with a TAG set up a new bucket: give --create as well");
        }
        if (tag != null && history != null && (history < 1 || history > MAX_BUCKET_HISTORY)) {
            throw HoistException.badInput("--history must be 1 to " + MAX_BUCKET_HISTORY + " for a new bucket, got " + history);
        }
        if (tag == null && history != null && history < 0) {
            throw HoistException.badInput("--history N must not be negative");
        }
        if (replicas != null && (replicas < 1 || replicas > MAX_REPLICAS)) {
            throw HoistException.badInput("--replicas must be 1 to " + MAX_REPLICAS + ", got " + replicas);
        }
        if (key != null && !KvLocation.KEY.matcher(key).matches()) {
            throw HoistException.badInput("--key '" + Tags.printable(key) + "' cannot be watched by Choria's kv watcher (must match " + KvLocation.KEY.pattern() + ")");
        }
    }

    /** The spec, when there is one; a spec that is there but broken is an error, not a reason to guess. */
    private Optional<ContainerSpec> findSpec() {
        SpecLoader loader = new SpecLoader(ctx.workingDir(), store);
        Path file = loader.locate(name, spec);
        if (spec == null && !Files.exists(file)) {
            if (layout == null && bucket == null && key == null) {
                say("no spec for " + name + " at " + file + "; using the default layout (bucket "
                        + KvLocation.perContainer(name).bucket() + ", key " + KvLocation.DEFAULT_KEY + ")");
            }
            return Optional.empty();
        }
        if (spec == null && !Files.isReadable(file)) {
            if (layout == null && bucket == null && key == null) {
                throw HoistException.badInput("cannot read the spec " + file + " to find where the tag of " + name
                        + " lives; run as root (Puppet writes it mode 0600), or give --layout, --bucket or --key");
            }
            say("cannot read the spec " + file + "; using the bucket and key given");
            return Optional.empty();
        }
        ContainerSpec s = loader.load(name, spec);
        if (!s.kvUpdate()) {
            ctx.warn("kv_update is off for " + name + ": Hoist does not read " + s.kv() + " until the spec sets kv_update: true");
        }
        return Optional.of(s);
    }

    private KvLocation location(Optional<ContainerSpec> found) {
        try {
            KvLocation loc;
            if (layout == Layout.shared) {
                loc = KvLocation.shared(bucket != null ? bucket : KvLocation.SHARED_BUCKET, name);
            } else if (layout == Layout.container || found.isEmpty()) {
                loc = KvLocation.perContainer(name);
            } else {
                loc = found.get().kv();
            }
            loc = new KvLocation(bucket != null ? bucket : loc.bucket(), key != null ? key : loc.key());
            if (found.isPresent() && !loc.equals(found.get().kv())) {
                ctx.warn("the spec of " + name + " keeps its tag in " + found.get().kv() + "; using " + loc + " as asked");
            }
            return loc;
        } catch (IllegalArgumentException e) {
            throw HoistException.badInput(e.getMessage());
        }
    }

    private int write(TagStore store, KvLocation loc) {
        TagEntry written;
        try {
            written = store.put(loc, tag);
        } catch (BucketMissingException e) {
            if (!create) {
                throw new KvException(e.getMessage() + ": nothing written; create it with 'choria kv add " + loc.bucket()
                        + "' or give --create", e);
            }
            int h = history == null ? DEFAULT_BUCKET_HISTORY : history;
            int r = replicas == null ? 1 : replicas;
            store.create(loc.bucket(), h, r);
            say("created the Key-Value bucket " + loc.bucket() + " (history " + h + ", replicas " + r + ")");
            written = store.put(loc, tag);
        }
        // A tag written by an operator starts afresh: forget the fleet's failure marker.
        KvLocation marker = loc.failedMarker();
        if (store.get(marker).isPresent()) {
            store.delete(marker);
            say("cleared the failure marker " + marker);
        }
        PrintWriter out = cmd.commandLine().getOut();
        if (json) {
            out.println(Render.json(view(written, loc)));
        } else {
            out.println(loc + " = " + written.value() + " (revision " + written.revision() + ")");
        }
        return ExitCode.OK;
    }

    private int read(TagStore store, KvLocation loc, Optional<ContainerSpec> found) {
        Optional<TagEntry> e;
        try {
            e = store.get(loc);
        } catch (BucketMissingException m) {
            throw new KvException(m.getMessage() + ", so " + imageTag(found) + " applies; create it with 'choria kv add "
                    + loc.bucket() + "' or 'hoist-cli tag " + name + " TAG --create'", m);
        }
        PrintWriter out = cmd.commandLine().getOut();
        if (e.isEmpty()) {
            String why = "";
            List<TagEntry> h = store.history(loc);
            if (!h.isEmpty() && !h.get(h.size() - 1).isPut()) {
                TagEntry last = h.get(h.size() - 1);
                why = " (" + (TagEntry.PURGE.equals(last.operation()) ? "purged" : "deleted") + " at revision " + last.revision() + ")";
            }
            if (json) {
                out.println(Render.json(view(null, loc)));
            }
            say(loc + " is not set" + why + ", so " + imageTag(found) + " applies");
            return KEY_NOT_SET;
        }
        String value = e.get().value();
        if (!Tags.isValid(value)) {
            throw HoistException.badInput(loc + " holds " + Tags.whyInvalid(value) + "; Hoist ignores it and keeps the running tag or " + imageTag(found));
        }
        if (json) {
            out.println(Render.json(view(e.get(), loc)));
        } else {
            out.println(value);
        }
        return ExitCode.OK;
    }

    private int history(TagStore store, KvLocation loc, Optional<ContainerSpec> found) {
        List<TagEntry> all;
        try {
            all = store.history(loc);
        } catch (BucketMissingException m) {
            throw new KvException(m.getMessage() + ", so " + imageTag(found) + " applies", m);
        }
        List<TagEntry> shown = history > 0 && all.size() > history ? all.subList(all.size() - history, all.size()) : all;
        PrintWriter out = cmd.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (TagEntry t : shown) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("revision", t.revision());
                row.put("time", t.time() == null ? null : t.time().toString());
                row.put("operation", t.operation());
                row.put("value", t.value());
                rows.add(row);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("bucket", loc.bucket());
            doc.put("key", loc.key());
            doc.put("history", rows);
            out.println(Render.json(doc));
        } else if (!shown.isEmpty()) {
            out.printf("%-9s %-20s %-9s %s%n", "REVISION", "TIME", "OPERATION", "VALUE");
            for (TagEntry t : shown) {
                out.printf("%-9d %-20s %-9s %s%n", t.revision(), t.time() == null ? "" : t.time().truncatedTo(ChronoUnit.SECONDS), t.operation(),
                        t.value() == null ? "" : Tags.printable(t.value()));
            }
        }
        if (all.isEmpty()) {
            say(loc + " has no values, so " + imageTag(found) + " applies");
            return KEY_NOT_SET;
        }
        return ExitCode.OK;
    }

    private static String imageTag(Optional<ContainerSpec> found) {
        return found.map(s -> "image_tag " + s.imageTag()).orElse("the spec's image_tag");
    }

    /** The --json rendering of one value: tag, revision, time, bucket, key (all but bucket and key null when not set). */
    private static Map<String, Object> view(TagEntry e, KvLocation loc) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tag", e == null ? null : e.value());
        m.put("revision", e == null ? null : e.revision());
        m.put("time", e == null || e.time() == null ? null : e.time().toString());
        m.put("bucket", loc.bucket());
        m.put("key", loc.key());
        return m;
    }

    /** One line on stderr: what the user should know beside the result on stdout. */
    private void say(String message) {
        PrintWriter err = cmd.commandLine().getErr();
        err.println("hoist-cli: " + message);
        err.flush();
    }
}
