package io.choria.hoist.spec;

import java.util.ArrayList;
import java.util.List;

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
 * {@link SpecParser#WORDS} (the schema's and Puppet's pattern for a command string) accepts exactly
 * the strings without NUL that split into at least one word; {@code WordsTest} and
 * {@code SpecContractTest} check it.
 */
public final class Words {
    /** The blanks between words. */
    private static final String BLANKS = " \t\n\u000B\f\r";

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
