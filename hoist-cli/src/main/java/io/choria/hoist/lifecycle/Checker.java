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
 * Needs only an {@link EngineReader}, so the CLI can answer it on the lean path; no lambdas
 * (they bootstrap method handles at every start of hoist-cli).
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
                state.lastGoodTag(spec.image())));
    }

    public CheckResult check(ContainerSpec spec, WatcherData data, NodeState state) {
        Optional<ManagedContainer> found = engine.find(spec.name());
        if (found.isEmpty()) {
            return CheckResult.fail("no container " + spec.containerName());
        }
        ManagedContainer c = found.get();
        if (!c.running()) {
            return CheckResult.fail(spec.containerName() + " is " + c.state());
        }
        RolloutPolicy.Decision d = desired(spec, data, found, state);
        d.checkWarning().ifPresent(warn);
        ContainerPlan plan = ContainerPlan.of(spec, d.tag());
        if (!plan.matchesSpecHash(c.specHash())) {
            return CheckResult.fail(spec.containerName() + " does not match its spec (changed since it was created)");
        }
        Optional<String> want = engine.imageId(plan.imageRef());
        if (want.isEmpty()) {
            return CheckResult.fail(spec.containerName() + " should run " + plan.imageRef() + ", which is not present yet");
        }
        if (!want.get().equals(c.imageId())) {
            if (plan.imageRef().equals(c.imageRef())) {
                return CheckResult.fail(spec.containerName() + " runs an earlier image of " + plan.imageRef() + " (the tag moved)");
            }
            return CheckResult.fail(spec.containerName() + " runs " + c.imageRef() + ", should run " + plan.imageRef());
        }
        if (c.unhealthy()) {
            return CheckResult.fail(spec.containerName() + " is unhealthy");
        }
        Optional<String> probe = Probes.failure(spec.health());
        return probe.isPresent() ? CheckResult.fail(spec.containerName() + ": " + probe.get()) : CheckResult.pass();
    }
}
