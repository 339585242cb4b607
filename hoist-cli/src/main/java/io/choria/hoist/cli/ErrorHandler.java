package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns Hoist's own exceptions into one stderr line and their exit code. Anything else is a bug:
 * it keeps its stack trace and exits {@link ExitCode#SOFTWARE}.
 */
public final class ErrorHandler implements IExecutionExceptionHandler {
    /** Long enough for a failed start's reason with its container's last log lines. */
    static final int MAX_LINE = 2000;

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, ParseResult parsed) {
        if (e instanceof HoistException h) {
            // One line, whatever a wrapped library put in the message.
            cl.getErr().println("hoist-cli: " + HoistException.oneLine(h.getMessage(), MAX_LINE));
            cl.getErr().flush();
            return h.exitCode();
        }
        e.printStackTrace(cl.getErr());
        cl.getErr().flush();
        return ExitCode.SOFTWARE;
    }
}
