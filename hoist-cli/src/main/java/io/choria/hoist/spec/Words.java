package io.choria.hoist.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The one place a command string ({@code command}, {@code entrypoint}, {@code health_command} given as a
 * string) is split into words: the way a POSIX shell splits words, without running a shell and without
 * expanding anything. README.md, "Command strings", documents the same grammar:
 *
 * <ul>
 *   <li>Words are separated by blanks: space, tab, newline, carriage return, form feed, vertical tab.</li>
 *   <li>{@code '...'} quotes everything up to the next {@code '}; nothing is special inside.</li>
 *   <li>{@code "..."} quotes up to the next unescaped {@code "}; inside, a backslash escapes only
 *       {@code " \ $ `} and newline, and is kept before any other character.</li>
 *   <li>Outside quotes, a backslash keeps the next character as it is.</li>
 *   <li>A backslash before a newline (outside single quotes) removes both: the line continues.</li>
 *   <li>Quotes join with what touches them: {@code a'b c'd} is the one word {@code ab cd}; {@code ''} is an
 *       empty word.</li>
 *   <li>{@code $}, {@code *}, {@code ~}, {@code ;}, {@code |} and the like are plain characters.</li>
 * </ul>
 *
 * An unterminated quote or a trailing backslash is an error; a string of blanks only has no words.
 */
public final class Words {
    /** The blanks between words. */
    private static final String BLANKS = " \t\n\u000B\f\r";

    /**
     * The command strings this grammar splits into at least one word, as a regular expression that means
     * the same in Java, Ruby (Puppet) and ECMAScript (JSON Schema); anchor it ({@code matches()},
     * {@code \A...\z}, {@code ^...$}) to use it. {@code WordsTest} checks it against {@link #split}.
     */
    public static final String ACCEPTED_REGEX;

    /** {@link #ACCEPTED_REGEX}, compiled. */
    public static final Pattern ACCEPTED;

    static {
        String blank = "[ \\t\\n\\x0B\\f\\r]";
        String continuation = "\\\\\\n";
        String wordPart = "(?:[^ \\t\\n\\x0B\\f\\r'\"\\\\]|\\\\[^\\n]|'[^']*'|\"(?:[^\"\\\\]|\\\\[\\s\\S])*\")";
        ACCEPTED_REGEX = "(?:" + blank + "|" + continuation + ")*" + wordPart
                + "(?:" + blank + "|" + continuation + "|" + wordPart + ")*";
        ACCEPTED = Pattern.compile(ACCEPTED_REGEX);
    }

    private Words() {
    }

    /**
     * Splits {@code text} into words.
     *
     * @throws IllegalArgumentException for an unterminated quote or a trailing backslash
     */
    public static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated single quote");
                }
                word.append(text, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(text, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= text.length()) {
                    throw new IllegalArgumentException("trailing backslash");
                }
                if (text.charAt(i + 1) != '\n') {
                    word.append(text.charAt(i + 1));
                    inWord = true;
                }
                i += 2;
            } else if (BLANKS.indexOf(c) >= 0) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Reads a double-quoted part starting after the opening quote; returns the index after the closing one. */
    private static int doubleQuoted(String text, int i, StringBuilder word) {
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < text.length() && "\"\\$`\n".indexOf(text.charAt(i + 1)) >= 0) {
                if (text.charAt(i + 1) != '\n') {
                    word.append(text.charAt(i + 1));
                }
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new IllegalArgumentException("unterminated double quote");
    }
}
