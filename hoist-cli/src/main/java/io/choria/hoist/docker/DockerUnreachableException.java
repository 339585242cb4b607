package io.choria.hoist.docker;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.IOException;

/** The Docker Engine did not answer: no socket, refused, or timed out. */
public class DockerUnreachableException extends HoistException {
    public DockerUnreachableException(String host, Throwable cause) {
        super(ExitCode.DOCKER_UNREACHABLE, "cannot reach the Docker Engine at " + host + ": " + describe(cause), cause);
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }

    /** True when an exception from a Docker client means the Engine could not be reached. */
    public static boolean isConnectionFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }
}
