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

    /**
     * A library's message made fit for Hoist's one stderr line: line breaks folded, help links
     * (gson's "See https://github.com/google/gson/...") dropped, at most {@code max} characters.
     */
    public static String oneLine(String message, int max) {
        if (message == null) {
            return "";
        }
        String m = message.replaceAll("\\s*See https?://\\S+", "").replaceAll("\\s+", " ").trim();
        return m.length() > max ? m.substring(0, max) + "..." : m;
    }

    public static HoistException badInput(String message) {
        return new HoistException(ExitCode.BAD_INPUT, message);
    }
}
