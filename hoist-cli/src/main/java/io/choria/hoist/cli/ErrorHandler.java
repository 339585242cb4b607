package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.PrintWriter;

/**
 * Turns Hoist's own exceptions into one stderr line and their exit code. Anything else is a bug:
 * it keeps its stack trace and exits {@link ExitCode#SOFTWARE}. Used by picocli's commands
 * ({@link Cli}) and by {@link LeanCheck}, so this class does not depend on picocli.
 */
final class ErrorHandler {
    /** Long enough for a failed start's reason with its container's last log lines. */
    static final int MAX_LINE = 2000;

    private ErrorHandler() {
    }

    /** Reports what a command threw on {@code err}; returns the exit code. */
    static int report(Exception e, PrintWriter err) {
        if (e instanceof HoistException h) {
            // One line, whatever a wrapped library put in the message.
            err.println("hoist-cli: " + HoistException.oneLine(h.getMessage(), MAX_LINE));
            err.flush();
            return h.exitCode();
        }
        e.printStackTrace(err);
        err.flush();
        return ExitCode.SOFTWARE;
    }
}
