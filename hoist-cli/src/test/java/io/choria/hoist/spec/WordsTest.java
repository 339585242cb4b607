package io.choria.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command string grammar (README.md, "Command strings"), one row per rule. */
class WordsTest {
    static Stream<Arguments> splits() {
        return Stream.of(
                // input, the words
                Arguments.of("httpd -f -p 8080", List.of("httpd", "-f", "-p", "8080")),
                Arguments.of("  a \t b\n\nc  ", List.of("a", "b", "c")),
                Arguments.of("a\rb\fc\u000Bd", List.of("a", "b", "c", "d")),
                Arguments.of("sh -c 'echo $HOME; exit 1'", List.of("sh", "-c", "echo $HOME; exit 1")),
                Arguments.of("'a \\ \"b\"'", List.of("a \\ \"b\"")),
                Arguments.of("\"a 'b' c\"", List.of("a 'b' c")),
                Arguments.of("\"\\\" \\\\ \\$ \\`\"", List.of("\" \\ $ `")),
                Arguments.of("\"\\a \\n\"", List.of("\\a \\n")),
                Arguments.of("a\\ b \\'c\\' \\\\", List.of("a b", "'c'", "\\")),
                Arguments.of("a'b c'd\"e f\"g", List.of("ab cde fg")),
                Arguments.of("x '' \"\" y", List.of("x", "", "", "y")),
                Arguments.of("x''", List.of("x")),
                Arguments.of("a\\\nb c", List.of("ab", "c")),
                Arguments.of("\"a\\\nb\"", List.of("ab")),
                Arguments.of("'a\\\nb'", List.of("a\\\nb")),
                Arguments.of("$HOME ~ * ; | && > x", List.of("$HOME", "~", "*", ";", "|", "&&", ">", "x")),
                Arguments.of("a\u00A0b\u3000c", List.of("a\u00A0b\u3000c")),
                Arguments.of("", List.of()),
                Arguments.of(" \t\n ", List.of()),
                Arguments.of("\\\n", List.of()));
    }

    @ParameterizedTest
    @MethodSource("splits")
    void splits_like_a_shell_without_one(String input, List<String> words) {
        assertThat(Words.split(input)).isEqualTo(words);
        assertThat(SpecParser.WORDS.compiled().matcher(input).matches()).as("accepted").isEqualTo(!words.isEmpty());
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("sh -c 'echo", "unterminated single quote"),
                Arguments.of("echo \"hi", "unterminated double quote"),
                Arguments.of("echo \"hi\\\"", "unterminated double quote"),
                Arguments.of("echo \"\\", "unterminated double quote"),
                Arguments.of("echo \\", "trailing backslash"),
                Arguments.of("'''", "unterminated single quote"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void refuses_what_a_shell_would_refuse(String input, String message) {
        assertThatThrownBy(() -> Words.split(input)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThat(SpecParser.WORDS.compiled().matcher(input).matches()).as("accepted").isFalse();
    }

    /**
     * SpecParser.WORDS, the schema's and the Puppet type's pattern, accepts exactly the strings that split into
     * at least one word: every string of up to 6 characters over the grammar's special characters, a
     * letter, a character that is a blank to Java but not to the grammar, and one that is to neither.
     */
    @Test
    void accepted_regex_is_exactly_what_splits_into_words() {
        char[] alphabet = {'a', ' ', '\t', '\n', '\'', '"', '\\', '$', '\u3000'};
        List<String> strings = new ArrayList<>(List.of(""));
        List<String> last = List.of("");
        for (int length = 1; length <= 6; length++) {
            List<String> next = new ArrayList<>();
            for (String s : last) {
                for (char c : alphabet) {
                    next.add(s + c);
                }
            }
            strings.addAll(next);
            last = next;
        }
        int accepted = 0;
        for (String s : strings) {
            boolean splits;
            try {
                splits = !Words.split(s).isEmpty();
            } catch (IllegalArgumentException e) {
                splits = false;
            }
            assertThat(SpecParser.WORDS.compiled().matcher(s).matches()).as("WORDS on %s", printable(s)).isEqualTo(splits);
            if (SpecParser.WORDS.hand(s) != Grammar.UNSURE) {
                assertThat(SpecParser.WORDS.hand(s) == Grammar.YES).as("WORDS by hand on %s", printable(s)).isEqualTo(splits);
            }
            accepted += splits ? 1 : 0;
        }
        // Both verdicts occur often: the loop compared something.
        assertThat(accepted).isBetween(strings.size() / 10, strings.size() - strings.size() / 10);
    }

    private static String printable(String s) {
        return "'" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\u3000", "\\u3000") + "'";
    }
}
