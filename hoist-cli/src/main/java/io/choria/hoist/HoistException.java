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
        String m = singleSpaced(withoutLinks(message));
        return m.length() > max ? m.substring(0, max) + "..." : m;
    }

    /**
     * {@code s.replaceAll("\\s+", " ").trim()}, by hand (a check's error and warning lines pass here: the
     * rules of {@link io.choria.hoist.startup}); HoistExceptionTest holds it to the expression.
     */
    public static String singleSpaced(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (isSpace(s.charAt(i))) {
                while (i < s.length() && isSpace(s.charAt(i))) {
                    i++;
                }
                b.append(' ');
            } else {
                b.append(s.charAt(i++));
            }
        }
        return b.toString().trim();
    }

    /** {@code s.replaceAll("\\s*See https?://\\S+", "")}, by hand: each help link and the white space before it. */
    static String withoutLinks(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end = linkEnd(s, i);
            if (end < 0) {
                b.append(s.charAt(i++));
                continue;
            }
            int kept = b.length();
            while (kept > 0 && isSpace(b.charAt(kept - 1))) {
                kept--;
            }
            b.setLength(kept);
            i = end;
        }
        return b.toString();
    }

    /** Where {@code See http://X} or {@code See https://X} (X one or more characters but white space) at {@code at} ends, or -1. */
    private static int linkEnd(String s, int at) {
        if (!s.startsWith("See http", at)) {
            return -1;
        }
        int i = at + 8;
        if (i < s.length() && s.charAt(i) == 's') {
            i++;
        }
        if (!s.startsWith("://", i)) {
            return -1;
        }
        int start = i + 3;
        i = start;
        while (i < s.length() && !isSpace(s.charAt(i))) {
            i++;
        }
        return i > start ? i : -1;
    }

    /** The characters {@code \s} means to a regular expression: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    public static HoistException badInput(String message) {
        return new HoistException(ExitCode.BAD_INPUT, message);
    }
}
