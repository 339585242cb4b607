package io.choria.hoist.spec;

import io.choria.hoist.HoistException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Finds and reads a container's spec. In order: {@code --spec FILE}; {@code container.json} in
 * the working directory (a Choria exec watcher runs in the machine folder); the machine store's
 * {@code hoist_NAME/container.json}.
 */
public final class SpecLoader {
    public static final String FILE_NAME = "container.json";
    public static final Path DEFAULT_STORE = Path.of("/etc/choria/machine");

    private final Path workingDir;
    private final Path store;

    public SpecLoader(Path workingDir, Path store) {
        this.workingDir = workingDir;
        this.store = store;
    }

    public Path store() {
        return store;
    }

    /** The spec file for NAME, without reading it. */
    public Path locate(String name, Path explicit) {
        if (explicit != null) {
            return explicit;
        }
        Path here = workingDir.resolve(FILE_NAME);
        Path folder = workingDir.getFileName();
        if (folder != null && folder.toString().equals(ContainerSpec.containerName(name)) && Files.isRegularFile(here)) {
            return here;
        }
        return store.resolve(ContainerSpec.containerName(name)).resolve(FILE_NAME);
    }

    public ContainerSpec load(String name, Path explicit) {
        if (!SpecParser.NAME.matches(name)) {
            throw HoistException.badInput(SpecParser.notAName(Tags.printable(name)));
        }
        Path file = locate(name, explicit);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw HoistException.badInput("unknown container " + name + ": no spec at " + file);
        } catch (CharacterCodingException e) {
            throw HoistException.badInput("cannot read spec " + file + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw HoistException.badInput("cannot read spec " + file + ": " + HoistException.oneLine(e.getMessage(), 200));
        }
        ContainerSpec spec = SpecParser.parse(text, file.toString());
        if (!spec.name().equals(name)) {
            throw HoistException.badInput(file + ": spec is for container '" + spec.name() + "', not '" + name + "'");
        }
        return spec;
    }
}
