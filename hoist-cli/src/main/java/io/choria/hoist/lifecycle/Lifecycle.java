package io.choria.hoist.lifecycle;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.DesiredTag;
import io.choria.hoist.spec.WatcherData;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One container's lifecycle: check, start (and restart), stop and update. The rules that keep a
 * service up live here: the image is present before the running container is touched; a bad KV
 * value keeps the running tag; Hoist only ever touches containers that carry its labels.
 */
public final class Lifecycle {
    /** How long a new container must keep running after start before start reports success. */
    static final long SETTLE_MILLIS = 1000;
    private static final long POLL_MILLIS = 100;

    private final Engine engine;
    private final Consumer<String> warn;
    private final Sleeper sleeper;

    public Lifecycle(Engine engine, Consumer<String> warn) {
        this(engine, warn, Thread::sleep);
    }

    Lifecycle(Engine engine, Consumer<String> warn, Sleeper sleeper) {
        this.engine = engine;
        this.warn = warn;
        this.sleeper = sleeper;
    }

    /** Lets tests run the settle loop without waiting. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** The desired tag, given the container that runs now (for the bad-KV-value fallback). */
    public DesiredTag desired(ContainerSpec spec, WatcherData data, Optional<ManagedContainer> current) {
        return Checker.desired(spec, data, current, warn);
    }

    public CheckResult check(ContainerSpec spec, WatcherData data) {
        return new Checker(engine, warn).check(spec, data);
    }

    /**
     * Makes sure the desired image is present, then replaces any existing container with a new
     * one. A failed pull leaves the running container alone.
     */
    public ManagedContainer start(ContainerSpec spec, WatcherData data) {
        Optional<ManagedContainer> current = engine.find(spec.name());
        DesiredTag d = desired(spec, data, current);
        ContainerPlan plan = ContainerPlan.of(spec, d.tag());
        if (engine.imageId(plan.imageRef()).isEmpty()) {
            engine.pull(plan.imageRef());
        }
        Optional<String> sameName = engine.containerIdByDockerName(plan.dockerName());
        if (sameName.isPresent() && (current.isEmpty() || !sameName.get().equals(current.get().id()))) {
            throw new HoistException(ExitCode.START_FAILED, "a container named " + plan.dockerName()
                    + " exists without Hoist's labels; Hoist leaves it alone: rename or remove it");
        }
        current.ifPresent(c -> {
            engine.stop(c.id(), spec.stopTimeout());
            engine.remove(c.id());
        });
        String id = engine.create(plan);
        engine.start(id);
        return settle(spec, id);
    }

    /** Waits {@link #SETTLE_MILLIS} and fails if the new container stops running meanwhile. */
    private ManagedContainer settle(ContainerSpec spec, String id) {
        long waited = 0;
        ManagedContainer last;
        while (true) {
            last = engine.inspect(id).orElseThrow(() -> new HoistException(ExitCode.START_FAILED,
                    spec.containerName() + " disappeared right after it started"));
            if (!last.running()) {
                throw new HoistException(ExitCode.START_FAILED, spec.containerName() + " did not stay running (state "
                        + last.state() + ", restarts " + last.restartCount() + ")");
            }
            if (waited >= SETTLE_MILLIS) {
                return last;
            }
            try {
                sleeper.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoistException(ExitCode.START_FAILED, "interrupted while starting " + spec.containerName());
            }
            waited += POLL_MILLIS;
        }
    }

    /** Stops (gracefully) and removes the container; false when there was none. */
    public boolean stop(String name, int stopTimeout) {
        Optional<ManagedContainer> c = engine.find(name);
        c.ifPresent(found -> {
            engine.stop(found.id(), stopTimeout);
            engine.remove(found.id());
        });
        return c.isPresent();
    }

    /** Pulls the desired image so the next start is quick; returns the reference. */
    public String update(ContainerSpec spec, WatcherData data) {
        DesiredTag d = desired(spec, data, engine.find(spec.name()));
        String ref = spec.imageRef(d.tag());
        try {
            engine.pull(ref);
        } catch (HoistException e) {
            if (e.exitCode() == ExitCode.IMAGE_UNAVAILABLE && engine.imageId(ref).isPresent()) {
                warn.accept(e.getMessage() + "; the local copy of " + ref + " stays in use");
                return ref;
            }
            throw e;
        }
        return ref;
    }
}
