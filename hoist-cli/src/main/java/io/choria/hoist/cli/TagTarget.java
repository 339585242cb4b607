package io.choria.hoist.cli;

import io.choria.hoist.HoistException;
import io.choria.hoist.fleet.TagAt;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.SpecLoader;
import io.choria.hoist.spec.Tags;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the tag of container NAME lives in the KV: the spec's {@code kv_bucket} and {@code kv_key}
 * when the spec is at hand, else a layout; {@code --bucket} and {@code --key} override either.
 */
public final class TagTarget {
    /** Where the tag lives when no spec says: the two layouts the Puppet module offers. */
    public enum Layout { container, shared }

    @Option(names = "--layout", paramLabel = "LAYOUT",
            description = "Use a layout instead of the spec's: container (bucket HOIST_NAME, key TAG) or shared (bucket HOIST, key container/NAME/tag)")
    Layout layout;

    @Option(names = "--bucket", paramLabel = "BUCKET", description = "Use this bucket (with --layout shared: the shared bucket)")
    String bucket;

    @Option(names = "--key", paramLabel = "KEY", description = "Use this key")
    String key;

    @Option(names = "--verbose", description = "Say on stderr where the bucket and key come from when no spec is found (the default layout)")
    boolean verbose;

    /** Whether the default layout was already said once (a command may look the location up more than once). */
    private boolean saidDefault;

    /** Refuses a key Choria's kv watcher could not watch, before anything is read. */
    void check() {
        if (key != null && !KvLocation.KEY.matches(key)) {
            throw HoistException.badInput("--key '" + Tags.printable(key) + "' cannot be watched by Choria's kv watcher (must match "
                    + KvLocation.KEY.pattern() + ")");
        }
    }

    /** Finds the spec of NAME (from --spec, the working directory or the store) and the location of its tag. */
    TagAt find(Context ctx, String name, Path specFile, Path store) {
        Optional<ContainerSpec> spec = findSpec(ctx, new SpecLoader(ctx.workingDir(), store), name, specFile);
        return new TagAt(name, spec, location(ctx, name, spec));
    }

    private boolean overridden() {
        return layout != null || bucket != null || key != null;
    }

    /** The spec, when there is one; a spec that is there but broken is an error, not a reason to guess. */
    private Optional<ContainerSpec> findSpec(Context ctx, SpecLoader loader, String name, Path specFile) {
        Path file = loader.locate(name, specFile);
        if (specFile == null && !Files.exists(file)) {
            // On a workstation there is no machine store: the default layout is the expected case, said only when asked.
            if (!overridden() && verbose && !saidDefault) {
                saidDefault = true;
                ctx.say("no spec for " + name + " at " + file + "; using the default layout (bucket "
                        + KvLocation.perContainer(name).bucket() + ", key " + KvLocation.DEFAULT_KEY + ")");
            }
            return Optional.empty();
        }
        if (specFile == null && !Files.isReadable(file)) {
            if (!overridden()) {
                throw HoistException.badInput("cannot read the spec " + file + " to find where the tag of " + name
                        + " lives; run as root (Puppet writes it mode 0600), or give --layout, --bucket or --key");
            }
            ctx.say("cannot read the spec " + file + "; using the bucket and key given");
            return Optional.empty();
        }
        ContainerSpec s = loader.load(name, specFile);
        if (!s.kvUpdate()) {
            ctx.warn("kv_update is off for " + name + ": Hoist does not read " + s.kv() + " until the spec sets kv_update: true");
        }
        return Optional.of(s);
    }

    private KvLocation location(Context ctx, String name, Optional<ContainerSpec> spec) {
        try {
            KvLocation loc;
            if (layout == Layout.shared) {
                loc = KvLocation.shared(bucket != null ? bucket : KvLocation.SHARED_BUCKET, name);
            } else if (layout == Layout.container || spec.isEmpty()) {
                loc = KvLocation.perContainer(name);
            } else {
                loc = spec.get().kv();
            }
            loc = new KvLocation(bucket != null ? bucket : loc.bucket(), key != null ? key : loc.key());
            if (spec.isPresent() && !loc.equals(spec.get().kv())) {
                ctx.warn("the spec of " + name + " keeps its tag in " + spec.get().kv() + "; using " + loc + " as asked");
            }
            return loc;
        } catch (IllegalArgumentException e) {
            throw HoistException.badInput(e.getMessage());
        }
    }
}
