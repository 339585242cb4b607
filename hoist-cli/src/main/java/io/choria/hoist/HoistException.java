package io.choria.hoist;

/**
 * An expected failure with a clear, one-line message and the exit code it maps to.
 * The CLI prints only the message (no stack trace) and exits with {@link #exitCode()}.
 */
public class HoistException extends RuntimeException {
    private final int exitCode;

    public HoistException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public HoistException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static HoistException badInput(String message) {
        return new HoistException(ExitCode.BAD_INPUT, message);
    }
}
