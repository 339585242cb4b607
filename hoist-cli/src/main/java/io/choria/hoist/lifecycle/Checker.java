package io.choria.hoist.lifecycle;

import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.EngineReader;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.WatcherData;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The check: does hoist_NAME run the desired image with the current spec, is it not unhealthy by
 * Docker's health status, and do the spec's probes pass?
 * Needs only an {@link EngineReader}, so the CLI can answer it with the lean reader; on check's
 * path, so the rules of {@link io.choria.hoist.startup} apply.
 */
public final class Checker {
    private final EngineReader engine;
    private final Consumer<String> warn;

    public Checker(EngineReader engine, Consumer<String> warn) {
        this.engine = engine;
        this.warn = warn;
    }

    /** The rollout policy's decision, on the machine data, the container that runs now and what this node remembers. */
    public static RolloutPolicy.Decision desired(ContainerSpec spec, WatcherData data, Optional<ManagedContainer> current, NodeState state) {
        String runningTag = current.isPresent() ? current.get().tagOf(spec.image()) : null;
        return RolloutPolicy.decide(spec, RolloutPolicy.Facts.of(spec, data, runningTag, state.failedTag(spec.image()),
                state.lastGoodTag(spec.image()), state.canary()));
    }

    public CheckResult check(ContainerSpec spec, WatcherData data, NodeState state) {
        return inspect(spec, data, state).result();
    }

    /**
     * What {@link #check} saw: its result, the container it found (if any), the rollout policy's
     * decision (for the node's status report) and how long the spec's probes took in milliseconds
     * (0 when there are none or the check failed before them; {@code check --nagios} reports it).
     */
    public record Seen(CheckResult result, Optional<ManagedContainer> container, RolloutPolicy.Decision decision, long probeMillis) {
    }

    /** The check, with what it saw along the way. */
    public Seen inspect(ContainerSpec spec, WatcherData data, NodeState state) {
        Optional<ManagedContainer> found = engine.find(spec.name());
        RolloutPolicy.Decision d = desired(spec, data, found, state);
        if (found.isEmpty()) {
            return new Seen(CheckResult.fail("no container " + spec.containerName()), found, d, 0);
        }
        ManagedContainer c = found.get();
        if (!c.running()) {
            return new Seen(CheckResult.fail(spec.containerName() + " is " + c.state()), found, d, 0);
        }
        d.checkWarning().ifPresent(warn);
        ContainerPlan plan = ContainerPlan.of(spec, d.tag());
        if (!plan.matchesSpecHash(c.specHash())) {
            return new Seen(CheckResult.fail(spec.containerName() + " does not match its spec (changed since it was created)"), found, d, 0);
        }
        Optional<String> want = engine.imageId(plan.imageRef());
        if (want.isEmpty()) {
            return new Seen(CheckResult.fail(spec.containerName() + " should run " + plan.imageRef() + ", which is not present yet"),
                    found, d, 0);
        }
        if (!want.get().equals(c.imageId())) {
            if (plan.imageRef().equals(c.imageRef())) {
                return new Seen(CheckResult.fail(spec.containerName() + " runs an earlier image of " + plan.imageRef() + " (the tag moved)"),
                        found, d, 0);
            }
            return new Seen(CheckResult.fail(spec.containerName() + " runs " + c.imageRef() + ", should run " + plan.imageRef()), found, d, 0);
        }
        if (c.unhealthy()) {
            return new Seen(CheckResult.fail(spec.containerName() + " is unhealthy"), found, d, 0);
        }
        long started = System.nanoTime();
        Optional<String> probe = Probes.failure(spec.health());
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Seen(probe.isPresent() ? CheckResult.fail(spec.containerName() + ": " + probe.get()) : CheckResult.pass(), found, d, millis);
    }
}
