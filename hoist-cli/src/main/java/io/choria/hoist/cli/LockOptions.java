package io.choria.hoist.cli;

import io.choria.hoist.HoistException;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.spec.Tags;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** How long a command that changes a container waits for another one on the same container. */
public final class LockOptions {
    @Option(names = "--lock-wait", paramLabel = "SECONDS",
            description = "Wait at most this long for another hoist-cli command on the same container to finish, then exit 8 (default: $"
                    + ContainerLock.WAIT_ENV + ", else 45)")
    Long seconds;

    Duration wait(Map<String, String> env) {
        if (seconds != null) {
            if (seconds < 0) {
                throw HoistException.badInput("--lock-wait must be 0 or more seconds, not " + seconds);
            }
            return Duration.ofSeconds(seconds);
        }
        String v = env.get(ContainerLock.WAIT_ENV);
        if (v == null || v.isBlank()) {
            return ContainerLock.DEFAULT_WAIT;
        }
        try {
            long s = Long.parseLong(v.trim());
            if (s >= 0) {
                return Duration.ofSeconds(s);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HoistException.badInput(ContainerLock.WAIT_ENV + " '" + Tags.printable(v) + "' is not a number of seconds");
    }
}
