package io.choria.hoist.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whatever LeanJson returns is what gson's parser returns, strict (as SpecParser reads container.json)
 * and lenient (as JsonParser.parseString reads the rest): the same tree, numbers as the same text. On
 * documents generated here, written with every JSON spelling (escapes, whitespace, number forms), and
 * on many damaged copies of them, where it must give way to gson (null) or agree with it.
 */
class LeanJsonTest {
    private static final String[] STRINGS = {"", "web", "a b", "é", "\u2028", "\ud83d\ude00", "q\"q", "b\\s", "/", "\n", "\u0000", "\u001f", "\u007f"};
    private static final String[] NUMBERS = {"0", "-0", "7", "-12", "10", "3.25", "1e5", "1E-5", "-0.0e+0", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "0.1"};

    private final Random random = new Random(18);

    private String string(String value) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            int how = random.nextInt(4);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || how == 0) {
                b.append(String.format(random.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            } else if (c == '/' && how == 1) {
                b.append("\\/");
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private String space() {
        String[] blanks = {"", "", " ", "\n", "\t", "\r\n  "};
        return blanks[random.nextInt(blanks.length)];
    }

    private String value(int depth) {
        int kind = depth > 3 ? random.nextInt(4) : random.nextInt(6);
        switch (kind) {
            case 0: return string(STRINGS[random.nextInt(STRINGS.length)]);
            case 1: return NUMBERS[random.nextInt(NUMBERS.length)];
            case 2: return new String[] {"true", "false", "null"}[random.nextInt(3)];
            case 3: return string("k" + random.nextInt(5));
            case 4: {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(space() + value(depth + 1) + space());
                }
                return "[" + String.join(",", items) + space() + "]";
            }
            default: {
                List<String> items = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    items.add(space() + string("k" + random.nextInt(6)) + space() + ":" + space() + value(depth + 1) + space());
                }
                return "{" + String.join(",", items) + space() + "}";
            }
        }
    }

    private static JsonElement gson(String text, boolean strict) {
        try {
            if (strict) {
                JsonReader reader = new JsonReader(new StringReader(text));
                reader.setStrictness(Strictness.STRICT);
                JsonElement e = JsonParser.parseReader(reader);
                return reader.peek() == com.google.gson.stream.JsonToken.END_DOCUMENT ? e : null;
            }
            return JsonParser.parseString(text);
        } catch (java.io.IOException | RuntimeException | StackOverflowError e) {
            return null;
        }
    }

    /** LeanJson's answer is null or gson's, strict and lenient; returns whether it answered. */
    private static boolean agrees(String text) {
        JsonElement lean = LeanJson.parse(text);
        if (lean == null) {
            return false;
        }
        for (boolean strict : new boolean[] {true, false}) {
            JsonElement gson = gson(text, strict);
            assertThat(gson).as("gson (strict %s) reads what LeanJson read: %s", strict, text).isNotNull();
            assertThat(lean.toString()).as(text).isEqualTo(gson.toString());
            assertThat(lean).as(text).isEqualTo(gson);
        }
        return true;
    }

    @Test
    void reads_what_gson_reads_as_gson_reads_it() {
        int read = 0;
        int documents = 0;
        for (int i = 0; i < 20_000; i++) {
            String doc = space() + value(0) + space();
            documents++;
            read += agrees(doc) ? 1 : 0;
        }
        // The strings with control characters are gson's; nearly all the rest is read here.
        assertThat(read).isGreaterThan(documents / 2);
    }

    @Test
    void gives_way_to_gson_or_agrees_on_damaged_documents() {
        String[] edits = {"", ",", "}", "]", "{", "[", "\"", ":", "\\", "'", "x", "0", "-", ".", "e", " ", "//", "#", "\u00a0", "\ufeff", "nul", "tru"};
        for (int i = 0; i < 40_000; i++) {
            StringBuilder b = new StringBuilder(value(0));
            for (int n = 1 + random.nextInt(2); n > 0; n--) {
                int at = random.nextInt(b.length() + 1);
                if (random.nextBoolean() && at < b.length()) {
                    b.deleteCharAt(at);
                } else {
                    b.insert(at, edits[random.nextInt(edits.length)]);
                }
            }
            agrees(b.toString());
        }
    }

    @Test
    void leaves_to_gson_what_is_not_plain_json() {
        for (String text : new String[] {"", " ", "{\"a\": 1,}", "[1,]", "{'a': 1}", "{a: 1}", "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": .5}",
            "{\"a\": +1}", "{\"a\": NaN}", "{\"a\": \"\t\"}", "{\"a\": \"\\x\"}", "{\"a\": 1, \"a\": 2}", "{} {}", "// c\n{}", "\ufeff{}",
            "[" .repeat(LeanJson.MAX_DEPTH + 2) + "]".repeat(LeanJson.MAX_DEPTH + 2), "truex", "{\"a\":\"\\u12\"}"}) {
            assertThat(LeanJson.parse(text)).as(text).isNull();
        }
        assertThat(LeanJson.parse("{\"name\": \"web\", \"ports\": [\"8080:80\"], \"stop_timeout\": 10, \"syslog\": false, \"x\": null}").toString())
                .isEqualTo("{\"name\":\"web\",\"ports\":[\"8080:80\"],\"stop_timeout\":10,\"syslog\":false,\"x\":null}");
    }
}
