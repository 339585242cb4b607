package io.choria.hoist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * HoistException's hand-written line folding gives the regular expressions' results (it runs on check's
 * path, where none may be compiled): on messages as libraries write them, every short string of the
 * characters that matter, and random ones.
 */
class HoistExceptionTest {
    private static final char[] ALPHABET = {'S', 'e', ' ', '\t', '\n', '\u000b', '\u0085', 'h', 't', 'p', 's', ':', '/', 'x'};

    static String expected(String message, int max) {
        String m = message.replaceAll("\\s*See https?://\\S+", "").replaceAll("\\s+", " ").trim();
        return m.length() > max ? m.substring(0, max) + "..." : m;
    }

    static List<String> samples() {
        List<String> samples = new ArrayList<>(List.of("", " ", "plain", "  two\n lines \r\n", "\u0001ctl\u0001",
                "Expected BEGIN_OBJECT but was STRING at line 1 column 1 path $\nSee https://github.com/google/gson/blob/main/Troubleshooting.md#unexpected-json-structure",
                "a See http://x b", "a See https://x", "See https://", "See https:// x", "See http:/x", "See httpx://y", "a\tSee https://x\tSee http://y z",
                "See https://a See https://b", "xSee https://a", "See  https://a", "a \u000b\fSee https://a\u0085b", "See https://See https://x"));
        List<String> tails = new ArrayList<>(List.of(""));
        for (int length = 1; length <= 4; length++) {
            List<String> next = new ArrayList<>();
            for (String t : tails) {
                for (char c : ALPHABET) {
                    next.add(t + c);
                }
            }
            tails = next;
            for (String t : tails) {
                samples.add(t);
                samples.add(t + "See https://a" + t);
                samples.add("See http" + t);
            }
        }
        Random random = new Random(25);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = random.nextInt(30); n > 0; n--) {
                b.append(random.nextInt(4) == 0 ? " See https://" : String.valueOf(ALPHABET[random.nextInt(ALPHABET.length)]));
            }
            samples.add(b.toString());
        }
        return samples;
    }

    @Test
    void one_line_folds_as_the_expressions_do() {
        for (String s : samples()) {
            assertThat(HoistException.oneLine(s, 10)).as("oneLine(\"%s\", 10)", s).isEqualTo(expected(s, 10));
            assertThat(HoistException.oneLine(s, 1000)).as("oneLine(\"%s\", 1000)", s).isEqualTo(expected(s, 1000));
            assertThat(HoistException.singleSpaced(s)).as("singleSpaced(\"%s\")", s).isEqualTo(s.replaceAll("\\s+", " ").trim());
        }
        assertThat(HoistException.oneLine(null, 10)).isEmpty();
        assertThat(HoistException.oneLine("a\n See https://github.com/google/gson/x  b", 100)).isEqualTo("a b");
    }
}
