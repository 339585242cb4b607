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
 * Needs only an {@link EngineReader}, so the CLI can answer it on the lean path.
 */
public final class Checker {
    private final EngineReader engine;
    private final Consumer<String> warn;

    public Checker(EngineReader engine, Consumer<String> warn) {
        this.engine = engine;
        this.warn = warn;
    }

    /** The rollout policy's decision, on the machine data, the container that runs now and what this node remembers. */
    static RolloutPolicy.Decision desired(ContainerSpec spec, WatcherData data, Optional<ManagedContainer> current, NodeState state) {
        String runningTag = current.map(c -> c.tagOf(spec.image())).orElse(null);
        return RolloutPolicy.decide(spec, RolloutPolicy.Facts.of(spec, data, runningTag, state.failedTag(spec.image()),
                state.lastGoodTag(spec.image()), state.canary()));
    }

    public CheckResult check(ContainerSpec spec, WatcherData data, NodeState state) {
        return examine(spec, data, state).result();
    }

    /**
     * A check's result with what it looked at: the container found and the policy's decision (null
     * when the check failed before it was asked), for the node's status report.
     */
    public record Outcome(CheckResult result, Optional<ManagedContainer> container, RolloutPolicy.Decision decision) {
    }

    public Outcome examine(ContainerSpec spec, WatcherData data, NodeState state) {
        Optional<ManagedContainer> found = engine.find(spec.name());
        if (found.isEmpty()) {
            return new Outcome(CheckResult.fail("no container " + spec.containerName()), found, desired(spec, data, found, state));
        }
        ManagedContainer c = found.get();
        RolloutPolicy.Decision d = desired(spec, data, found, state);
        if (!c.running()) {
            return new Outcome(CheckResult.fail(spec.containerName() + " is " + c.state()), found, d);
        }
        d.checkWarning().ifPresent(warn);
        return new Outcome(verdict(spec, c, d), found, d);
    }

    private CheckResult verdict(ContainerSpec spec, ManagedContainer c, RolloutPolicy.Decision d) {
        ContainerPlan plan = ContainerPlan.of(spec, d.tag());
        if (!plan.matchesSpecHash(c.specHash())) {
            return CheckResult.fail(spec.containerName() + " does not match its spec (changed since it was created)");
        }
        Optional<String> want = engine.imageId(plan.imageRef());
        if (want.isEmpty()) {
            return CheckResult.fail(spec.containerName() + " should run " + plan.imageRef() + ", which is not present yet");
        }
        if (!want.get().equals(c.imageId())) {
            return CheckResult.fail(spec.containerName() + " runs " + c.imageRef() + ", should run " + plan.imageRef());
        }
        if (c.unhealthy()) {
            return CheckResult.fail(spec.containerName() + " is unhealthy");
        }
        return Probes.failure(spec.health()).map(f -> CheckResult.fail(spec.containerName() + ": " + f))
                .orElse(CheckResult.pass());
    }
}
