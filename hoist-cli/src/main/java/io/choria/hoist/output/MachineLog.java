package io.choria.hoist.output;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * hoist-cli's own log in the machine folder, {@code hoist.log}. Choria logs an exec watcher's
 * output only on success and only at debug level, so without it an operator would never see why
 * a check, start or update failed. Under Choria (MACHINE_NAME set) every stderr line is also
 * appended here, stamped with the time and the command. It is rotated to {@code hoist.log.1}
 * past {@link #MAX_BYTES}. hoist-cli never prints secrets, so neither does the log.
 */
public final class MachineLog {
    public static final String FILE_NAME = "hoist.log";
    static final long MAX_BYTES = 1024 * 1024;

    private MachineLog() {
    }

    /** stderr, with each line also appended to {@code folder/hoist.log}. */
    public static PrintWriter tee(PrintWriter err, Path folder, String command) {
        return new PrintWriter(new Tee(err, folder.resolve(FILE_NAME), command), true);
    }

    /** A stderr that only appends to {@code folder/hoist.log} (for {@code check --nagios} under Choria). */
    public static PrintWriter logOnly(Path folder, String command) {
        return new PrintWriter(new Tee(new PrintWriter(Writer.nullWriter()), folder.resolve(FILE_NAME), command), true);
    }

    /** The last line of a machine folder's log, if there is one. */
    public static Optional<String> lastLine(Path folder) {
        try {
            List<String> lines = Files.readAllLines(folder.resolve(FILE_NAME), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static final class Tee extends Writer {
        private final PrintWriter err;
        private final Path file;
        private final String command;
        private final StringBuilder line = new StringBuilder();

        Tee(PrintWriter err, Path file, String command) {
            this.err = err;
            this.file = file;
            this.command = command;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            err.write(buf, off, len);
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    append(line.toString());
                    line.setLength(0);
                } else {
                    line.append(buf[i]);
                }
            }
        }

        private void append(String text) {
            String entry = Instant.now().truncatedTo(ChronoUnit.SECONDS) + " [" + command + "] " + text + "\n";
            try {
                if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
                    Files.move(file, file.resolveSibling(FILE_NAME + ".1"), StandardCopyOption.REPLACE_EXISTING);
                }
                if (!Files.exists(file)) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
                }
                Files.writeString(file, entry, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } catch (IOException | UnsupportedOperationException e) {
                // the log is a convenience: stderr already has the line
            }
        }

        @Override
        public void flush() {
            err.flush();
        }

        @Override
        public void close() {
            if (line.length() > 0) {
                append(line.toString());
                line.setLength(0);
            }
            err.flush();
        }
    }
}
