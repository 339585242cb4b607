package io.choria.hoist.lifecycle;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.ContainerPlan;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.docker.RepoDigests;
import io.choria.hoist.registry.RegistryAuth;
import io.choria.hoist.registry.RegistryClient;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.rollout.RolloutRecord;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.Tags;
import io.choria.hoist.spec.WatcherData;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One container's lifecycle: check, start (and restart), stop and update. The rules that keep a
 * service up live here: the image is present before the running container is touched; Hoist only
 * ever touches containers that carry its labels. Which tag runs, and where a failed start goes, is
 * {@link RolloutPolicy}'s to say.
 */
public final class Lifecycle {
    private static final long POLL_MILLIS = 250;

    private final Engine engine;
    private final Consumer<String> warn;
    private final Sleeper sleeper;
    private final Clock clock;
    private RegistryAuth auth = RegistryAuth.none();
    private RegistryClient registry;
    private ImageLedger ledger = ImageLedger.none();
    private Consumer<String> info = m -> { };

    /**
     * Pulls with the registry credentials of {@code auth}; when a pull fails, asks {@code registry}
     * why (missing or refused credentials); records each pull in {@code ledger}, which image cleanup
     * after a start reads; says cleanup's image counts to {@code info}.
     */
    public Lifecycle withImages(RegistryAuth auth, RegistryClient registry,
            ImageLedger ledger, Consumer<String> info) {
        this.auth = auth;
        this.registry = registry;
        this.ledger = ledger;
        this.info = info;
        return this;
    }

    private RolloutPolicy.Decision lastDecision;
    private Drain drain = Drain.NONE;

    /**
     * Withdraws the container's service registrations before a replacement or a stop replaces a
     * serving container, and waits its {@code drain_time} ({@link Drain}).
     */
    public Lifecycle withDrain(Drain drain) {
        this.drain = drain;
        return this;
    }

    public Lifecycle(Engine engine, Consumer<String> warn) {
        this(engine, warn, Thread::sleep, Clock.systemUTC());
    }

    Lifecycle(Engine engine, Consumer<String> warn, Sleeper sleeper, Clock clock) {
        this.engine = engine;
        this.warn = warn;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** Lets tests run the settle loop without waiting. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /** The rollout policy's decision, given the container that runs now and what this node remembers; its warning on stderr. */
    public RolloutPolicy.Decision desired(ContainerSpec spec, WatcherData data, Optional<ManagedContainer> current, NodeState state) {
        RolloutPolicy.Decision d = Checker.desired(spec, data, current, state);
        if (d.warning() != null) {
            warn.accept(d.warning());
        }
        return d;
    }

    public CheckResult check(ContainerSpec spec, WatcherData data, NodeState state) {
        return new Checker(engine, warn).check(spec, data, state);
    }

    /**
     * Makes sure the desired image is present, then replaces any existing container with a new
     * one and waits until it is healthy (see {@link #awaitHealthy}). A failed pull leaves the
     * running container alone. A new tag that never becomes healthy is rolled back to the last
     * good image and remembered as failed ({@link RolloutPolicy#afterFailedStart}); a start that
     * keeps failing backs off.
     */
    public ManagedContainer start(ContainerSpec spec, WatcherData data, StateStore store) {
        return start(spec, data, store, FleetKv.NONE, false);
    }

    /**
     * As {@link #start(ContainerSpec, WatcherData, StateStore)}, with the tag and the fleet's
     * failure marker read fresh from the KV, a failed tag marked there for the fleet, and, with
     * {@code ifNeeded}, nothing touched when the container already passes the check.
     */
    public ManagedContainer start(ContainerSpec spec, WatcherData data, StateStore store, FleetKv fleet, boolean ifNeeded) {
        NodeState state = store.load();
        if (spec.kvUpdate()) {
            data = fleet.refresh(spec, data);
        }
        Optional<ManagedContainer> current = engine.find(spec.name());
        state = claimCanary(spec, data, current, state, fleet, store);
        if (ifNeeded && current.isPresent() && new Checker(engine, m -> { }).check(spec, data, state).ok()) {
            return current.get();
        }
        RolloutPolicy.Decision d = desired(spec, data, current, state);
        lastDecision = d;
        String ref = spec.imageRef(d.tag());
        Instant now = clock.instant();
        if (state.startFailures() != null && state.startFailures().backingOff(ref, now)) {
            throw new HoistException(ExitCode.START_FAILED, ref + " failed to start " + state.startFailures().count()
                    + " times in a row; backing off until " + state.startFailures().retryAfter());
        }
        try {
            ManagedContainer c = replace(spec, current, d.tag());
            NodeState started = state.started(spec.image(), d.tag(), c.imageId(), d.isRollback(), clock.instant());
            store.save(started);
            cleanup(spec, c, started);
            return c;
        } catch (HoistException e) {
            if (e.exitCode() != ExitCode.START_FAILED) {
                throw e;
            }
            Optional<RolloutPolicy.Rollback> back = RolloutPolicy.afterFailedStart(d, state.lastGoodTag(spec.image()),
                    lastGoodDigest(spec, state, ref));
            state = state.failedToStart(ref, e.getMessage(), clock.instant());
            if (back.isEmpty()) {
                store.save(state.startFailed(ref, clock.instant()));
                throw e;
            }
            String good = back.get().tag();
            lastDecision = new RolloutPolicy.Decision(good, RolloutPolicy.Source.ROLLBACK, e.getMessage(), null);
            state = state.rolledBackFrom(spec.image(), d.tag(), e.getMessage(), clock.instant());
            store.save(state);
            warn.accept(e.getMessage() + "; rolling back to " + spec.imageRef(good));
            if (back.get().markFleet()) {
                fleet.markFailed(spec, d.tag());
            }
            try {
                ManagedContainer c = replace(spec, engine.find(spec.name()), good);
                NodeState started = state.started(spec.image(), good, c.imageId(), true, clock.instant());
                store.save(started);
                cleanup(spec, c, started);
                return c;
            } catch (HoistException rollback) {
                if (rollback.exitCode() == ExitCode.START_FAILED) {
                    store.save(state.failedToStart(spec.imageRef(good), rollback.getMessage(), clock.instant())
                            .startFailed(spec.imageRef(good), clock.instant()));
                }
                throw rollback;
            }
        }
    }

    /**
     * The registry digest of this node's last good image when its tag is {@code ref}'s and the
     * image is still here but is no longer what {@code ref} names (the tag moved): what a rollback
     * from a moving tag goes back to. Null otherwise.
     */
    private String lastGoodDigest(ContainerSpec spec, NodeState state, String ref) {
        NodeState.GoodImage good = state.lastGood();
        if (good == null || good.imageId() == null || !spec.image().equals(good.image()) || Tags.isDigest(good.tag())) {
            return null;
        }
        try {
            if (good.imageId().equals(engine.imageId(ref).orElse(null))) {
                return null;
            }
            List<String> byRepoDigest = RepoDigests.all(engine.repoDigests(good.imageId()), ref).stream()
                    .map(r -> r.substring(r.indexOf('@') + 1)).toList();
            if (byRepoDigest.size() == 1 || (!byRepoDigest.isEmpty() && registry == null)) {
                return byRepoDigest.get(0);
            }
            // Podman lists the image under every digest it knows it by (RepoDigests), and none for a
            // repository where it has no name any more (the tag moved on): of every digest it knows
            // the image by, the one this repository serves is the one to pull.
            Set<String> candidates = new LinkedHashSet<>(byRepoDigest);
            if (registry != null) {
                candidates.addAll(engine.manifestDigests(good.imageId()));
            }
            for (String candidate : registry == null ? List.<String>of() : candidates) {
                try {
                    if (candidate.equals(registry.digest(spec.image(), candidate))) {
                        return candidate;
                    }
                } catch (HoistException unknown) {
                    // not served here: the next one
                }
            }
            // The containerd image store (Docker 26 with it): an image's id is its registry digest,
            // and the image the tag left lists no repo digest (nor does IMAGE@ID name it locally):
            // the registry says whether it still serves IMAGE@ID, which the rollback then pulls. Under
            // the graph driver an id is the config's digest, which no registry serves as a manifest.
            if (registry != null && Tags.isDigest(good.imageId())) {
                try {
                    return good.imageId().equals(registry.digest(spec.image(), good.imageId())) ? good.imageId() : null;
                } catch (HoistException unknown) {
                    return null;
                }
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Image cleanup after a successful start ({@link ImageCleaner}); it never fails the start: a
     * problem is a warning, and the images stay for the next start to remove.
     */
    private void cleanup(ContainerSpec spec, ManagedContainer c, NodeState now) {
        try {
            String lastGood = now.lastGood() == null ? null : now.lastGood().imageId();
            ImageCleaner.Result r = new ImageCleaner(engine).clean(spec, c.imageId(), lastGood, ledger);
            if (!r.removed().isEmpty()) {
                info.accept(r.toString());
            }
        } catch (RuntimeException e) {
            warn.accept("image cleanup skipped: " + HoistException.oneLine(String.valueOf(e.getMessage()), 200));
        }
        saveLedger();
    }

    private void saveLedger() {
        try {
            ledger.save();
        } catch (HoistException e) {
            warn.accept(e.getMessage());
        }
    }

    /**
     * Pulls {@code ref} (an image of {@code spec}) with the registry's credentials when the auth file
     * has some, and records the pull for cleanup. A failed pull says why when the registry tells:
     * credentials missing or refused, naming the registry.
     */
    public void pull(ContainerSpec spec, String ref) {
        try {
            var creds = auth.forImage(spec.image());
            if (creds.isPresent()) {
                engine.pull(ref, creds.get());
            } else {
                engine.pull(ref);
            }
        } catch (HoistException e) {
            if (e.exitCode() == ExitCode.IMAGE_UNAVAILABLE && registry != null) {
                Optional<String> why;
                try {
                    why = registry.diagnose(spec.image());
                } catch (RuntimeException other) {
                    why = Optional.empty();
                }
                if (why.isPresent()) {
                    throw new HoistException(ExitCode.IMAGE_UNAVAILABLE, "cannot pull " + ref + ": " + why.get());
                }
            }
            throw e;
        }
        engine.imageId(ref).ifPresent(id -> ledger.pulled(id, ref, clock.instant()));
    }

    /** The decision the last start or update acted on, for the node's status report; null before one. */
    public RolloutPolicy.Decision lastDecision() {
        return lastDecision;
    }

    /**
     * When a rollout in its canary phase governs the tag and this node has not asked for a slot of
     * it: asks the KV (create-only keys, so no slot goes to two nodes) and remembers the answer.
     */
    private NodeState claimCanary(ContainerSpec spec, WatcherData data, Optional<ManagedContainer> current, NodeState state,
            FleetKv fleet, StateStore store) {
        String runningTag = current.map(c -> c.tagOf(spec.image())).orElse(null);
        Optional<RolloutRecord> r = RolloutPolicy.needsCanaryClaim(spec, RolloutPolicy.Facts.of(spec, data,
                runningTag, state.failedTag(spec.image()), state.lastGoodTag(spec.image()), state.canary()));
        if (r.isEmpty()) {
            return state;
        }
        Optional<Integer> slot = fleet.claimCanary(spec, r.get());
        if (slot.isEmpty()) {
            return state;
        }
        NodeState claimed = state.claimed(new RolloutPolicy.CanaryClaim(r.get().id(), slot.get()));
        store.save(claimed);
        warn.accept(slot.get() > 0 ? "took canary slot " + slot.get() + " of " + r.get().canary() + " in rollout " + r.get().id()
                + " of " + r.get().tag() : "every canary slot of rollout " + r.get().id() + " of " + r.get().tag()
                + " is taken; this node waits for the promotion");
        return claimed;
    }

    /** Pull if missing, then swap the container for a new one of image:tag, and wait for health. */
    private ManagedContainer replace(ContainerSpec spec, Optional<ManagedContainer> current, String tag) {
        ContainerPlan plan = ContainerPlan.of(spec, tag);
        if (engine.imageId(plan.imageRef()).isEmpty()) {
            pull(spec, plan.imageRef());
        }
        Optional<String> sameName = engine.containerIdByDockerName(plan.dockerName());
        if (sameName.isPresent() && (current.isEmpty() || !sameName.get().equals(current.get().id()))) {
            Optional<ManagedContainer> other = inspectQuietly(sameName.get());
            if (other.isEmpty() || !spec.name().equals(other.get().name())) {
                throw new HoistException(ExitCode.START_FAILED, "a container named " + plan.dockerName()
                        + " exists without Hoist's labels; Hoist leaves it alone: rename or remove it");
            }
            // Ours, made by another command since we looked: it is replaced like the one we found.
            EngineRaces.stopAndRemove(engine, other.get().id(), spec.containerName(), spec.stopTimeout(), sleeper, clock);
        }
        String id;
        if (current.isPresent()) {
            // The replacement is created before the old container stops, so that the gap is the
            // old one's stop and the new one's start (issue 27): see prepare.
            Optional<String> prepared = prepare(spec, plan);
            try {
                drain.before(spec.containerName(), current.get().running(), warn, info, sleeper);
                EngineRaces.stopAndRemove(engine, current.get().id(), spec.containerName(), spec.stopTimeout(), sleeper, clock);
            } catch (RuntimeException e) {
                prepared.ifPresent(p -> EngineRaces.remove(engine, p, preparedName(plan.dockerName()), sleeper, clock));
                throw e;
            }
            id = prepared.isPresent() ? takeName(spec, plan, prepared.get()) : create(spec, plan);
        } else {
            id = create(spec, plan);
        }
        try {
            engine.start(id);
        } catch (NotFoundException e) {
            throw new HoistException(ExitCode.START_FAILED, spec.containerName() + " was removed by someone else right after it was created");
        }
        return awaitHealthy(spec, plan, id);
    }

    /** The Docker name a replacement is created under while the container it replaces still runs. */
    static String preparedName(String dockerName) {
        return dockerName + "-next";
    }

    /**
     * Creates the replacement as {@code hoist_NAME-next} beside the running container; empty when the
     * Engine cannot, or when that name is held by a container that is not ours (then the
     * replacement is created after the old container is gone, as before). One of ours left there by
     * a command that died is replaced.
     */
    private Optional<String> prepare(ContainerSpec spec, ContainerPlan plan) {
        String name = preparedName(plan.dockerName());
        Optional<String> holder = engine.containerIdByDockerName(name);
        if (holder.isPresent()) {
            Optional<ManagedContainer> other = inspectQuietly(holder.get());
            if (other.isPresent() && !spec.name().equals(other.get().name())) {
                return Optional.empty();
            }
            EngineRaces.stopAndRemove(engine, holder.get(), name, spec.stopTimeout(), sleeper, clock);
        }
        try {
            return engine.createAs(plan, name);
        } catch (ConflictException e) {
            return Optional.empty();
        }
    }

    /**
     * Renames the prepared replacement to {@code hoist_NAME} once the old container is gone. The name
     * may be taken meanwhile by one of ours another command made (it is replaced); anything else
     * keeps it, and the prepared container is removed.
     */
    private String takeName(ContainerSpec spec, ContainerPlan plan, String prepared) {
        for (int attempt = 1; ; attempt++) {
            try {
                engine.rename(prepared, plan.dockerName());
                return prepared;
            } catch (ConflictException e) {
                Optional<String> holder = engine.containerIdByDockerName(plan.dockerName());
                if (holder.isPresent()) {
                    Optional<ManagedContainer> other = inspectQuietly(holder.get());
                    if (other.isPresent() && !spec.name().equals(other.get().name())) {
                        EngineRaces.remove(engine, prepared, preparedName(plan.dockerName()), sleeper, clock);
                        throw new HoistException(ExitCode.START_FAILED, "a container named " + plan.dockerName()
                                + " exists without Hoist's labels; Hoist leaves it alone: rename or remove it");
                    }
                    EngineRaces.stopAndRemove(engine, holder.get(), plan.dockerName(), spec.stopTimeout(), sleeper, clock);
                }
                if (attempt >= CREATE_ATTEMPTS) {
                    EngineRaces.remove(engine, prepared, preparedName(plan.dockerName()), sleeper, clock);
                    throw new HoistException(ExitCode.START_FAILED, "cannot rename the prepared " + preparedName(plan.dockerName())
                            + " to " + plan.dockerName() + ": " + HoistException.oneLine(e.getMessage(), 200) + " (" + attempt + " attempts)");
                }
            }
        }
    }

    /** Attempts at creating the container while its name is taken by one of ours that another command made. */
    static final int CREATE_ATTEMPTS = 3;

    /**
     * Creates the container. The name may still be taken: by a container Docker is removing, or by
     * one another command (an older hoist-cli, without the lock) just made; ours are replaced,
     * anything else is left alone.
     */
    private String create(ContainerSpec spec, ContainerPlan plan) {
        for (int attempt = 1; ; attempt++) {
            try {
                return engine.create(plan);
            } catch (ConflictException e) {
                if (attempt >= CREATE_ATTEMPTS) {
                    throw new HoistException(ExitCode.START_FAILED, "cannot create " + plan.dockerName() + ": "
                            + HoistException.oneLine(e.getMessage(), 200) + " (" + attempt + " attempts)");
                }
                Optional<String> holder = engine.containerIdByDockerName(plan.dockerName());
                if (holder.isEmpty()) {
                    continue;
                }
                Optional<ManagedContainer> other = inspectQuietly(holder.get());
                if (other.isPresent() && !spec.name().equals(other.get().name())) {
                    throw new HoistException(ExitCode.START_FAILED, "a container named " + plan.dockerName()
                            + " exists without Hoist's labels; Hoist leaves it alone: rename or remove it");
                }
                if (other.isPresent()) {
                    warn.accept(plan.dockerName() + " was created meanwhile by another command (" + EngineRaces.shortId(holder.get())
                            + "); replacing it");
                }
                EngineRaces.stopAndRemove(engine, holder.get(), plan.dockerName(), spec.stopTimeout(), sleeper, clock);
            }
        }
    }

    private Optional<ManagedContainer> inspectQuietly(String id) {
        try {
            return engine.inspect(id);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * The health gate: the new container must be running, not starting or unhealthy by Docker's
     * health status, and pass the spec's probes, without a break for min_healthy_time, within
     * start_timeout. A probe that does not answer yet is waited for (the service may still be
     * starting); a container that exits, is restarted by Docker (its restart count grows) or that
     * Docker's health check calls unhealthy fails the gate at once ({@link #brokenNow}): it would
     * not become healthy by waiting, and the rollback starts a poll later, not start_timeout later.
     */
    ManagedContainer awaitHealthy(ContainerSpec spec, ContainerPlan plan, String id) {
        long start = clock.millis();
        long deadline = start + spec.health().startTimeoutSeconds() * 1000;
        long needed = spec.health().minHealthySeconds() * 1000;
        long healthySince = -1;
        String why = "not checked yet";
        while (true) {
            long now = clock.millis();
            ManagedContainer c = engine.inspect(id).orElseThrow(() -> new HoistException(ExitCode.START_FAILED,
                    spec.containerName() + " disappeared right after it started"));
            Optional<String> broken = brokenNow(c);
            if (broken.isPresent()) {
                throw new HoistException(ExitCode.START_FAILED, plan.imageRef() + " did not become healthy: " + broken.get()
                        + String.format(Locale.ROOT, ", %.1fs into start_timeout %ds", (now - start) / 1000.0,
                                spec.health().startTimeoutSeconds())
                        + evidence(spec, c, id));
            }
            Optional<String> problem = healthProblem(spec, c);
            if (problem.isEmpty()) {
                if (healthySince < 0) {
                    healthySince = now;
                }
                if (now - healthySince >= needed) {
                    return c;
                }
            } else {
                healthySince = -1;
                why = problem.get();
            }
            if (now >= deadline) {
                throw new HoistException(ExitCode.START_FAILED, plan.imageRef() + " did not become healthy within "
                        + spec.health().startTimeoutSeconds() + "s: " + why + evidence(spec, c, id));
            }
            try {
                sleeper.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoistException(ExitCode.START_FAILED, "interrupted while starting " + spec.containerName());
            }
        }
    }

    /** The container's exit code and last lines of output (masked), to say why it did not become healthy. */
    private String evidence(ContainerSpec spec, ManagedContainer c, String id) {
        try {
            return FailureOutput.describe(engine.lastOutput(id, FailureOutput.MAX_LINES), c, spec.environment());
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * Why a container just started is broken beyond waiting, or empty: it is no longer running
     * (exited, dead, restarting), Docker has restarted it (a new container starts at restart count 0),
     * or its Docker health status is unhealthy.
     */
    static Optional<String> brokenNow(ManagedContainer c) {
        if (!c.running() && !"created".equals(c.state())) {
            return Optional.of("it is " + c.state() + " (restarts " + c.restartCount() + ")");
        }
        if (c.restartCount() > 0) {
            return Optional.of("Docker restarted it (restarts " + c.restartCount() + ")");
        }
        if (c.unhealthy()) {
            return Optional.of("its Docker health status is unhealthy");
        }
        return Optional.empty();
    }

    private static Optional<String> healthProblem(ContainerSpec spec, ManagedContainer c) {
        if (!c.running()) {
            return Optional.of("it is " + c.state() + " (restarts " + c.restartCount() + ")");
        }
        if (!"none".equals(c.health()) && !"healthy".equals(c.health())) {
            return Optional.of("its Docker health status is " + c.health());
        }
        return Probes.failure(spec.health());
    }

    /** Stops (gracefully) and removes the container; false when there was none. */
    public boolean stop(String name, int stopTimeout) {
        Optional<ManagedContainer> c = engine.find(name);
        c.ifPresent(found -> drain.before(io.choria.hoist.spec.ContainerSpec.containerName(name), found.running(), warn, info, sleeper));
        c.ifPresent(found -> EngineRaces.stopAndRemove(engine, found.id(), io.choria.hoist.spec.ContainerSpec.containerName(name),
                stopTimeout, sleeper, clock));
        return c.isPresent();
    }

    /**
     * As {@link #update(ContainerSpec, WatcherData, NodeState)}, with the tag, the marker and the
     * rollout read fresh from the KV, and a canary slot asked for when a rollout wants one.
     */
    public String update(ContainerSpec spec, WatcherData data, StateStore store, FleetKv fleet) {
        NodeState state = store.load();
        if (spec.kvUpdate()) {
            data = fleet.refresh(spec, data);
        }
        Optional<ManagedContainer> current = engine.find(spec.name());
        state = claimCanary(spec, data, current, state, fleet, store);
        return update(spec, data, state);
    }

    /** Pulls the desired image so the next start is quick; returns the reference. */
    public String update(ContainerSpec spec, WatcherData data, NodeState state) {
        RolloutPolicy.Decision d = desired(spec, data, engine.find(spec.name()), state);
        lastDecision = d;
        String ref = spec.imageRef(d.tag());
        try {
            pull(spec, ref);
        } catch (HoistException e) {
            if (e.exitCode() == ExitCode.IMAGE_UNAVAILABLE && engine.imageId(ref).isPresent()) {
                warn.accept(e.getMessage() + "; the local copy of " + ref + " stays in use");
                return ref;
            }
            throw e;
        }
        saveLedger();
        return ref;
    }
}
