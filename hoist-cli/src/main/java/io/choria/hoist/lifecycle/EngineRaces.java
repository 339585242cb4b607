package io.choria.hoist.lifecycle;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.docker.Engine;
import java.time.Clock;
import java.util.Optional;

/**
 * The Docker Engine's answers when someone else acts on the same container at the same moment (an
 * operator's docker rm, a hoist-cli of an older release, Docker's own restart policy): expected
 * races, not errors. A container that is gone is what stopping and removing it wanted; a removal
 * already in progress is waited for.
 */
final class EngineRaces {
    /** How long a removal someone else started may take before Hoist gives up on it. */
    static final long REMOVAL_WAIT_MILLIS = 30_000;
    static final long POLL_MILLIS = 250;

    private EngineRaces() {
    }

    /** Stops (gracefully) and removes a container; one that is gone, or being removed, is fine. */
    static void stopAndRemove(Engine engine, String id, String what, int stopTimeout, Lifecycle.Sleeper sleeper, Clock clock) {
        try {
            engine.stop(id, stopTimeout);
        } catch (NotFoundException e) {
            return;
        } catch (ConflictException e) {
            // being removed or restarted by someone else: the removal below settles it
        }
        remove(engine, id, what, sleeper, clock);
    }

    /** Removes a container; one that is gone is fine, one that someone else is removing is waited for. */
    static void remove(Engine engine, String id, String what, Lifecycle.Sleeper sleeper, Clock clock) {
        try {
            engine.remove(id);
        } catch (NotFoundException e) {
            // gone already
        } catch (ConflictException e) {
            // "removal of container ... is already in progress": wait for it to finish
            awaitGone(engine, id, what, HoistException.oneLine(e.getMessage(), 200), sleeper, clock);
        }
    }

    private static void awaitGone(Engine engine, String id, String what, String why, Lifecycle.Sleeper sleeper, Clock clock) {
        long deadline = clock.millis() + REMOVAL_WAIT_MILLIS;
        while (present(engine, id)) {
            if (clock.millis() >= deadline) {
                throw new HoistException(ExitCode.START_FAILED, "cannot remove " + what + " (" + shortId(id) + "): "
                        + why + "; still there after " + REMOVAL_WAIT_MILLIS / 1000 + "s");
            }
            try {
                sleeper.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoistException(ExitCode.START_FAILED, "interrupted while waiting for the removal of " + what);
            }
        }
    }

    private static boolean present(Engine engine, String id) {
        try {
            Optional<?> c = engine.inspect(id);
            return c.isPresent();
        } catch (NotFoundException e) {
            return false;
        }
    }

    static String shortId(String id) {
        return id != null && id.length() > 12 ? id.substring(0, 12) : String.valueOf(id);
    }
}
