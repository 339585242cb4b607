package io.choria.hoist.lifecycle;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Removes what the Puppet module no longer manages:
 * <ol>
 *   <li>a machine folder {@code STORE/hoist_NAME} holding a container.json whose NAME is not in
 *       {@code STORE/hoist_purge/managed.json} (only when that list exists) is retired in two runs.
 *       First its {@code machine.yaml} goes (and a {@value #STOPPED_FILE} file records when), so that
 *       Choria, at its next store scan (every 10 s), stops the machine while its folder still
 *       exists; a later run, once {@code stopWait} has passed, removes the folder and stops and
 *       removes the container of that name.</li>
 *   <li>containers carrying Hoist's labels whose machine folder was already gone when this run
 *       began.</li>
 * </ol>
 * Why not remove the folder at once: Choria (go-choria 0.30.2) keeps running a machine whose folder
 * vanished until its next scan, and that machine's exec watchers then fail ({@code chdir}: no such
 * file) and fire transitions. The scan terminates such a machine while holding the agent host's
 * lock, waiting for the machine's lock, which a transition holds (for up to about 5 s when Choria
 * rate limits it) while it waits for the host's lock to announce itself: both wait for ever, and
 * the server stops answering {@code choria_util} and stops every machine's transitions. A machine
 * whose {@code machine.yaml} went is stopped by the scan's reload path instead, which does not
 * hold the host's lock.
 * <p>Nothing without Hoist's labels or container.json is touched.
 */
public final class Purger {
    public static final String PURGE_MACHINE = "hoist_purge";
    public static final String MANAGED_FILE = "managed.json";
    /** The Choria machine in a machine folder. */
    public static final String MACHINE_FILE = "machine.yaml";
    /** Written into a retired folder: the instant purge removed its machine.yaml. */
    public static final String STOPPED_FILE = "purge-stopped";
    /** Choria rescans its store every 10 s; a rate-limited transition may delay a stop by about 5 s more. */
    public static final Duration DEFAULT_STOP_WAIT = Duration.ofSeconds(30);

    private final Engine engine;
    private final Path store;
    private final Clock clock;
    private final Duration stopWait;
    private final Locker locker;

    /** Takes a container's lock ({@link ContainerLock}) for the time its folder and container are removed. */
    @FunctionalInterface
    public interface Locker {
        AutoCloseable lock(Path folder, String name);

        Locker NONE = (folder, name) -> () -> { };
    }

    /**
     * Withdraws a retired container's service registrations (issue 27, {@link Drain}): at once
     * when purge stops its machine (the container keeps serving until the stop wait has passed),
     * and again before its container is removed, waiting {@code drain_time} only if any was
     * registered again meanwhile.
     */
    @FunctionalInterface
    public interface Drainer {
        void drain(Path folder, String container, boolean removing);

        Drainer NONE = (folder, container, removing) -> { };
    }

    private Drainer drainer = Drainer.NONE;

    /** Drains retired containers with {@code drainer} ({@link Drainer#NONE} without). */
    public Purger withDrainer(Drainer drainer) {
        this.drainer = drainer;
        return this;
    }

    public Purger(Engine engine, Path store) {
        this(engine, store, Clock.systemUTC(), DEFAULT_STOP_WAIT);
    }

    public Purger(Engine engine, Path store, Clock clock, Duration stopWait) {
        this(engine, store, clock, stopWait, Locker.NONE);
    }

    /**
     * @param stopWait how long after removing a machine.yaml its folder and container are removed
     */
    public Purger(Engine engine, Path store, Clock clock, Duration stopWait, Locker locker) {
        this.engine = engine;
        this.store = store;
        this.clock = clock;
        this.stopWait = stopWait;
        this.locker = locker;
    }

    /** What a purge did (or, with dry run, would do). */
    public record Action(String kind, String name, String detail) {
        @Override
        public String toString() {
            return kind + " " + name + " (" + detail + ")";
        }
    }

    public List<Action> purge(boolean dryRun, int stopTimeout) {
        requireStore();
        return purge(dryRun, stopTimeout, managedNames());
    }

    /** Waits between the two halves of {@link #purgeAll}. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    /**
     * Removes every Hoist machine and container, in the order a purge does, in one call (Hoist's
     * removal, {@code hoist::ensure: absent}): first the purge machine's {@code machine.yaml} and
     * {@code managed.json} (so that it stops and no purge of its own forgets a stop record), and every
     * machine's {@code machine.yaml}; then, once {@code stopWait} has passed (slept here, only when a
     * machine was stopped), every machine folder and Hoist-labelled container, and the purge machine's
     * folder last.
     */
    public List<Action> purgeAll(boolean dryRun, int stopTimeout, Sleeper sleeper) {
        requireStore();
        Path purgeFolder = store.resolve(PURGE_MACHINE);
        List<Action> actions = new ArrayList<>();
        if (Files.exists(purgeFolder.resolve(MACHINE_FILE))) {
            actions.add(new Action("stop-machine", "purge", MACHINE_FILE + " and " + MANAGED_FILE + " removed"));
        }
        if (!dryRun) {
            delete(purgeFolder.resolve(MACHINE_FILE));
            delete(purgeFolder.resolve(MANAGED_FILE));
        }
        List<Action> first = purge(dryRun, stopTimeout, Optional.of(Set.of()));
        actions.addAll(first);
        if (dryRun) {
            return actions;
        }
        if (first.stream().anyMatch(a -> a.kind().equals("stop-machine"))) {
            try {
                sleeper.sleep(stopWait.toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoistException(ExitCode.FILE_ERROR, "interrupted while Choria stops the machines");
            }
            actions.addAll(purge(false, stopTimeout, Optional.of(Set.of())));
        }
        if (Files.exists(purgeFolder)) {
            actions.add(new Action("remove-folder", "purge", purgeFolder.toString()));
            deleteTree(purgeFolder);
        }
        return actions;
    }

    private List<Action> purge(boolean dryRun, int stopTimeout, Optional<Set<String>> managed) {
        List<AutoCloseable> locks = new ArrayList<>();
        try {
            return purge(dryRun, stopTimeout, managed, locks);
        } finally {
            for (AutoCloseable l : locks) {
                try {
                    l.close();
                } catch (Exception e) {
                    // the kernel releases a lock when the process ends
                }
            }
        }
    }

    private List<Action> purge(boolean dryRun, int stopTimeout, Optional<Set<String>> managed, List<AutoCloseable> locks) {
        Set<String> foldersAtStart = hoistFolders();
        List<Action> actions = new ArrayList<>();
        Set<String> foldersRemoved = new HashSet<>();
        if (managed.isPresent()) {
            for (String name : new TreeSet<>(foldersAtStart)) {
                Path folder = store.resolve(ContainerSpec.containerName(name));
                if (managed.get().contains(name)) {
                    if (!dryRun) {
                        forgetStop(folder);
                    }
                } else if (Files.exists(folder.resolve(MACHINE_FILE))) {
                    actions.add(new Action("stop-machine", name, MACHINE_FILE + " removed: Choria stops the machine at its next scan;"
                            + " folder and container go " + stopWait.toSeconds() + "s later"));
                    if (!dryRun) {
                        delete(folder.resolve(MACHINE_FILE));
                        recordStop(folder);
                        drainer.drain(folder, ContainerSpec.containerName(name), false);
                    }
                } else {
                    Optional<Instant> stopped = stoppedAt(folder);
                    if (stopped.isEmpty()) {
                        actions.add(new Action("stop-machine", name, "no " + MACHINE_FILE + ": folder and container go "
                                + stopWait.toSeconds() + "s later"));
                        if (!dryRun) {
                            recordStop(folder);
                            drainer.drain(folder, ContainerSpec.containerName(name), false);
                        }
                    } else if (!clock.instant().isBefore(stopped.get().plus(stopWait))) {
                        actions.add(new Action("remove-folder", name, folder.toString()));
                        foldersRemoved.add(name);
                        if (!dryRun) {
                            // Held until its container is gone too: no start of it meanwhile.
                            locks.add(locker.lock(folder, name));
                            drainer.drain(folder, ContainerSpec.containerName(name), true);
                            deleteTree(folder);
                        }
                    }
                }
            }
        }
        for (ManagedContainer c : engine.listManaged()) {
            if (c.name() == null) {
                continue;
            }
            String detail;
            if (foldersRemoved.contains(c.name())) {
                detail = "machine stopped, folder removed; container " + c.id().substring(0, 12);
            } else if (foldersAtStart.contains(c.name()) || Files.exists(store.resolve(ContainerSpec.containerName(c.name())))) {
                continue;
            } else {
                detail = "no machine folder; container " + c.id().substring(0, 12);
            }
            actions.add(new Action("remove-container", c.name(), detail));
            if (!dryRun) {
                EngineRaces.stopAndRemove(engine, c.id(), ContainerSpec.containerName(c.name()), stopTimeout, Thread::sleep, clock);
            }
        }
        return actions;
    }

    private void requireStore() {
        if (!Files.isDirectory(store)) {
            throw HoistException.badInput("machine store " + store + " is not a directory");
        }
    }

    /** When purge removed the folder's machine.yaml; empty when it did not, or the record is unreadable or in the future. */
    private Optional<Instant> stoppedAt(Path folder) {
        try {
            Instant at = Instant.parse(Files.readString(folder.resolve(STOPPED_FILE)).trim());
            return at.isAfter(clock.instant()) ? Optional.empty() : Optional.of(at);
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private void recordStop(Path folder) {
        Path file = folder.resolve(STOPPED_FILE);
        try {
            Files.writeString(file, clock.instant() + "\n");
        } catch (IOException e) {
            throw new HoistException(ExitCode.FILE_ERROR, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** A managed folder (Puppet manages the name again): a stale record would only mislead. */
    private static void forgetStop(Path folder) {
        try {
            Files.deleteIfExists(folder.resolve(STOPPED_FILE));
        } catch (IOException e) {
            // harmless: a folder that becomes unmanaged again is first stopped, which rewrites it
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new HoistException(ExitCode.FILE_ERROR, "cannot remove " + file + ": " + e.getMessage());
        }
    }

    /** The container names Puppet manages, when Puppet wrote the list. */
    Optional<Set<String>> managedNames() {
        Path file = store.resolve(PURGE_MACHINE).resolve(MANAGED_FILE);
        try {
            JsonElement e = JsonParser.parseString(Files.readString(file));
            Set<String> names = new HashSet<>();
            for (JsonElement n : e.getAsJsonObject().getAsJsonArray("containers")) {
                names.add(n.getAsString());
            }
            return Optional.of(names);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw HoistException.badInput("cannot read " + file + ": " + e.getMessage());
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NullPointerException | ClassCastException e) {
            throw HoistException.badInput(file + " is not {\"containers\": [names...]}");
        }
    }

    /** Names of the Hoist machine folders: hoist_NAME holding a container.json. */
    private Set<String> hoistFolders() {
        Set<String> names = new HashSet<>();
        try (Stream<Path> s = Files.list(store)) {
            s.filter(Files::isDirectory).forEach(p -> {
                String f = p.getFileName().toString();
                if (f.startsWith("hoist_") && !f.equals(PURGE_MACHINE) && Files.isRegularFile(p.resolve(SpecLoader.FILE_NAME))) {
                    names.add(f.substring("hoist_".length()));
                }
            });
        } catch (IOException e) {
            throw HoistException.badInput("cannot list machine store " + store + ": " + e.getMessage());
        }
        return names;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new HoistException(ExitCode.FILE_ERROR, "cannot remove " + root + ": " + e.getMessage());
        }
    }
}
