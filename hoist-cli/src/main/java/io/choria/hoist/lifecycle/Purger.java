package io.choria.hoist.lifecycle;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Removes what the Puppet module no longer manages:
 * <ol>
 *   <li>machine folders {@code STORE/hoist_NAME} holding a container.json whose NAME is not in
 *       {@code STORE/hoist_purge/managed.json} (only when that list exists);</li>
 *   <li>containers carrying Hoist's labels whose machine folder was already gone when this run
 *       began. A folder removed in this run keeps its container until the next run, so that
 *       Choria (which rescans the store every 10 s) has stopped the machine that would
 *       otherwise start it again.</li>
 * </ol>
 * Nothing without Hoist's labels or container.json is touched.
 */
public final class Purger {
    public static final String PURGE_MACHINE = "hoist_purge";
    public static final String MANAGED_FILE = "managed.json";

    private final Engine engine;
    private final Path store;

    public Purger(Engine engine, Path store) {
        this.engine = engine;
        this.store = store;
    }

    /** What a purge did (or, with dry run, would do). */
    public record Action(String kind, String name, String detail) {
        @Override
        public String toString() {
            return kind + " " + name + " (" + detail + ")";
        }
    }

    public List<Action> purge(boolean dryRun, int stopTimeout) {
        if (!Files.isDirectory(store)) {
            throw HoistException.badInput("machine store " + store + " is not a directory");
        }
        Optional<Set<String>> managed = managedNames();
        Set<String> foldersAtStart = hoistFolders();
        List<Action> actions = new ArrayList<>();
        if (managed.isPresent()) {
            for (String name : foldersAtStart) {
                if (!managed.get().contains(name)) {
                    actions.add(new Action("remove-folder", name, store.resolve(ContainerSpec.containerName(name)).toString()));
                    if (!dryRun) {
                        deleteTree(store.resolve(ContainerSpec.containerName(name)));
                    }
                }
            }
        }
        for (ManagedContainer c : engine.listManaged()) {
            if (c.name() == null || foldersAtStart.contains(c.name())) {
                continue;
            }
            if (Files.exists(store.resolve(ContainerSpec.containerName(c.name())))) {
                continue;
            }
            actions.add(new Action("remove-container", c.name(), "no machine folder; container " + c.id().substring(0, 12)));
            if (!dryRun) {
                engine.stop(c.id(), stopTimeout);
                engine.remove(c.id());
            }
        }
        return actions;
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
            throw new HoistException(io.choria.hoist.ExitCode.FILE_ERROR, "cannot remove " + root + ": " + e.getMessage());
        }
    }
}
