package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.EngineApi;
import io.choria.hoist.docker.EngineReader;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.docker.RepoDigests;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.ConnectionFlags;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.lifecycle.Checker;
import io.choria.hoist.lifecycle.NodeState;
import io.choria.hoist.output.ContainerStatus;
import io.choria.hoist.output.MachineLog;
import io.choria.hoist.output.Render;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecLoader;
import io.choria.hoist.spec.WatcherData;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", description = {"Show one or every container: state, image, health, KV tag.",
        "Show state, image and digest running, desired image, start time, restart count, health and the container options the spec sets of one or all Hoist containers, and the Docker Engine's version and the API version in use. Environment values are masked. Exit 1 when NAME is given and it is not running."})
public final class StatusCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin ConnectionFlags nats;
    @Spec CommandSpec cmd;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "One container (default: all)")
    String name;

    @Option(names = "--json", description = "Print JSON: {\"containers\": [...]}")
    boolean json;

    private final Context ctx;
    /** stdout when run without picocli ({@link LeanCommands}); else picocli's. */
    PrintWriter out;
    /** Set once the Key-Value store failed, so that status asks it only once. */
    private String kvFailure;

    public StatusCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        PrintWriter stdout = this.out != null ? this.out : cmd.commandLine().getOut();
        EngineReader engine = ctx.statusReader(global);
        SpecLoader specs = ctx.specs(global);
        List<ContainerStatus> found = new ArrayList<>();
        if (name != null) {
            ContainerSpec spec = specs.load(name, null);
            found.add(describe(engine, Optional.of(spec), engine.find(name), name));
        } else {
            for (ManagedContainer c : engine.listManaged()) {
                found.add(describe(engine, trySpec(specs, c.name()), Optional.of(c), c.name()));
            }
            found.sort(Comparator.comparing(ContainerStatus::name));
        }
        // The Engine and the API version spoken to it, negotiated by the requests above.
        EngineApi api = engine.api().orElse(null);
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("engine", api);
            doc.put("containers", found);
            stdout.println(Render.json(doc));
        } else {
            stdout.print(Render.statusText(found, api));
        }
        stdout.flush();
        boolean running = found.stream().allMatch(s -> "running".equals(s.state()));
        return name != null && !running ? ExitCode.NOT_RUNNING : ExitCode.OK;
    }

    /**
     * The tag in the Key-Value store now, beside the one running, and the fleet's failure marker, or why
     * they cannot be read. Only for specs with kv_update; a store that cannot be reached is reported
     * here, and status carries on.
     */
    private KvTag kvTag(Optional<ContainerSpec> spec) {
        if (spec.isEmpty() || !spec.get().kvUpdate()) {
            return new KvTag(null, null, null, null);
        }
        if (kvFailure != null) {
            return new KvTag(null, null, null, kvFailure);
        }
        try {
            TagStore store = ctx.tagStore(nats);
            String raw = store.get(spec.get().kv()).map(TagEntry::value).orElse(null);
            String marker = store.get(spec.get().kv().failedMarker()).map(TagEntry::value).orElse(null);
            RolloutPolicy.KvValue value = RolloutPolicy.KvValue.of(raw);
            return new KvTag(value.tag(), raw, marker, value.refusal() == null ? null : "refused: " + spec.get().kv() + " holds " + value.refusal());
        } catch (BucketMissingException e) {
            return new KvTag(null, null, null, "unavailable: " + e.getMessage());
        } catch (HoistException e) {
            kvFailure = "unavailable: " + e.getMessage();
            return new KvTag(null, null, null, kvFailure);
        }
    }

    /** The tag in the KV: valid (tag), as read (raw, valid or not), the fleet's marker as read, or why there is none (error). */
    private record KvTag(String tag, String raw, String marker, String error) {
    }

    private Optional<ContainerSpec> trySpec(SpecLoader specs, String n) {
        try {
            return Optional.of(specs.load(n, null));
        } catch (HoistException e) {
            return Optional.empty();
        }
    }

    private ContainerStatus describe(EngineReader engine, Optional<ContainerSpec> spec, Optional<ManagedContainer> found, String n) {
        KvTag kv = kvTag(spec);
        Path folder = global.store().resolve(ContainerSpec.containerName(n));
        NodeState state = spec.isPresent() ? ctx.state(folder.resolve(SpecLoader.FILE_NAME)).load() : NodeState.EMPTY;
        String lastGood = state.lastGood() == null ? null : state.lastGood().image() + ":" + state.lastGood().tag() + " at " + state.lastGood().at();
        var failed = state.failed();
        String desired = null;
        String source = null;
        String reason = null;
        if (spec.isPresent()) {
            // Under a watcher the machine data says what the machine saw; for an operator, the KV itself,
            // as start reads it: the tag as read (the policy refuses an invalid one) and the fleet's marker.
            WatcherData data = ctx.watcherData();
            if (data.isEmpty()) {
                data = data.with(spec.get().kv().dataKey(), kv.raw()).with(spec.get().kv().failedMarker().dataKey(), kv.marker());
            }
            RolloutPolicy.Decision d = Checker.desired(spec.get(), data, found, state);
            if (d.warning() != null) {
                ctx.warn(d.warning());
            }
            desired = spec.get().imageRef(d.tag());
            source = d.source().toString();
            reason = d.reason();
        }
        String problem = spec.isEmpty() ? "no spec in " + global.store() + " (not managed by Puppet here any more?)" : null;
        String lastLog = MachineLog.lastLine(folder).orElse(null);
        // The container options the spec sets (none: an empty map, so --json always has the key).
        Map<String, Object> options = spec.map(s -> s.options().shown()).orElse(Map.of());
        var lf = state.lastFailure();
        String lastFailure = lf == null ? null : lf.ref() + (lf.at() == null ? "" : " at " + lf.at()) + ": " + lf.reason();
        if (found.isEmpty()) {
            return new ContainerStatus(n, null, "absent", null, null, null, null, desired, source, reason, kv.tag(), kv.error(), null, 0,
                    List.of(), problem, lastGood, failed == null ? null : failed.tag(), failed == null ? null : failed.at(),
                    failed == null ? null : failed.reason(), lastFailure, lastLog, options);
        }
        ManagedContainer c = found.get();
        String digest = RepoDigests.of(engine.repoDigests(c.imageId()), c.imageRef()).orElse(null);
        return new ContainerStatus(n, ContainerSpec.containerName(n), c.state(), c.health(), c.imageRef(), c.imageId(),
                digest, desired, source, reason, kv.tag(), kv.error(), c.startedAt(), c.restartCount(),
                Render.maskEnvironment(c.environment()), problem, lastGood, failed == null ? null : failed.tag(),
                failed == null ? null : failed.at(), failed == null ? null : failed.reason(), lastFailure, lastLog, options);
    }
}
