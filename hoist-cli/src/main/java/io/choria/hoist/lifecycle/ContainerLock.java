package io.choria.hoist.lifecycle;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One command at a time per container: an exclusive lock ({@link FileChannel#lock}, flock-style,
 * released by the kernel when the process ends, however it ends) on {@code hoist.lock} in the
 * container's machine folder, held for the whole command by every command that changes anything.
 * The holder writes who it is into the file (command, pid, since), so a command that gives up
 * can say who holds it. {@code check} and {@code status} never wait for it.
 */
public final class ContainerLock implements AutoCloseable {
    public static final String FILE_NAME = "hoist.lock";
    /**
     * How long a command waits for the lock by default. Below the shortest timeout the Puppet
     * module gives a locking exec watcher (stop: stop_timeout + 60 s), so a waiting command exits
     * with {@link ExitCode#BUSY} and its message in hoist.log instead of being killed by Choria;
     * the machine tries again at its next interval.
     */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(45);
    /** The environment variable that overrides {@link #DEFAULT_WAIT}, in seconds. */
    public static final String WAIT_ENV = "HOIST_LOCK_WAIT";
    static final long POLL_MILLIS = 100;

    private final FileChannel channel;
    private final FileLock lock;

    private ContainerLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of the container whose spec (and state) is in {@code folder}. */
    public static Path file(Path folder) {
        return folder.toAbsolutePath().resolve(FILE_NAME);
    }

    /**
     * Takes the lock of {@code container} in {@code folder}, waiting up to {@code wait}. Says once on
     * {@code say} that it waits, and for whom; gives up with {@link ExitCode#BUSY} naming the holder.
     *
     * @param command what the holder is doing, shown to whoever waits (e.g. "hoist-cli restart web")
     */
    public static ContainerLock acquire(Path folder, String container, String command, Duration wait, Consumer<String> say, Clock clock) {
        Path file = file(folder);
        long deadline = clock.millis() + wait.toMillis();
        boolean said = false;
        while (true) {
            FileChannel ch = open(file);
            Object opened = fileKey(file);
            try {
                while (true) {
                    FileLock l = tryLock(ch);
                    if (l != null) {
                        if (claim(ch, file, opened, command, clock)) {
                            return new ContainerLock(ch, l);
                        }
                        // The file was replaced or removed while we waited (a purge): start over on the new one.
                        l.release();
                        break;
                    }
                    if (clock.millis() >= deadline) {
                        throw new HoistException(ExitCode.BUSY, container + " is busy: " + holder(file) + " holds its lock ("
                                + file + "); gave up after " + wait.toSeconds() + "s (--lock-wait, " + WAIT_ENV + ")");
                    }
                    if (!said) {
                        say.accept("waiting up to " + wait.toSeconds() + "s for the lock of " + container + ", held by " + holder(file));
                        said = true;
                    }
                    try {
                        Thread.sleep(POLL_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new HoistException(ExitCode.BUSY, "interrupted while waiting for the lock of " + container);
                    }
                }
            } catch (IOException e) {
                closeQuietly(ch);
                throw new HoistException(ExitCode.FILE_ERROR, "cannot lock " + file + ": " + HoistException.oneLine(e.getMessage(), 200));
            } catch (RuntimeException e) {
                closeQuietly(ch);
                throw e;
            }
            closeQuietly(ch);
            if (!Files.isDirectory(folder)) {
                throw HoistException.badInput("the machine folder " + folder + " of " + container + " was removed while this command waited (purged?)");
            }
        }
    }

    /** The lock now, or empty when someone holds it (or it cannot be taken): for check, which never waits. */
    public static Optional<ContainerLock> tryAcquire(Path folder, String command, Clock clock) {
        Path file = file(folder);
        FileChannel ch = null;
        try {
            ch = open(file);
            Object opened = fileKey(file);
            FileLock l = tryLock(ch);
            if (l != null && claim(ch, file, opened, command, clock)) {
                return Optional.of(new ContainerLock(ch, l));
            }
        } catch (IOException | RuntimeException e) {
            // check carries on without it
        }
        closeQuietly(ch);
        return Optional.empty();
    }

    private static FileChannel open(Path file) {
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new HoistException(ExitCode.FILE_ERROR, "cannot open the lock file " + file + ": " + HoistException.oneLine(e.toString(), 200));
        }
    }

    /** The lock, or null when another process (or another command in this JVM) holds it. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /**
     * Writes who holds the lock, and checks that the path still names the file locked: a purge may
     * have removed it (and Puppet recreated the folder) while we waited. Compared by file key (a
     * stat of the path): opening the file again would, by POSIX rules, drop this process's lock.
     */
    private static boolean claim(FileChannel ch, Path file, Object opened, String command, Clock clock) throws IOException {
        if (opened == null || !opened.equals(fileKey(file))) {
            return false;
        }
        String text = command + " (pid " + ProcessHandle.current().pid() + ") since "
                + clock.instant().truncatedTo(ChronoUnit.SECONDS) + "\n";
        ch.truncate(0);
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        long pos = 0;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
        return true;
    }

    /** The identity of the file at the path (device and inode), or null when there is none. */
    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Who holds the lock, as the holder wrote it: its first line. */
    static String holder(Path file) {
        try {
            String first = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            return first.isEmpty() ? "another hoist-cli command" : HoistException.oneLine(first, 200);
        } catch (IOException | RuntimeException e) {
            return "another hoist-cli command";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            // releasing on the way out; the kernel releases it when the process ends anyway
        }
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
