package io.choria.hoist.fuzz;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated inputs for the fuzz tests: valid documents mutated by truncation, character flips,
 * inserted JSON tokens, values swapped for other types, deep nesting, huge strings and unicode.
 * Seeded, so a failure can be replayed.
 */
final class Mutator {
    static final String[] TOKENS = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "false", "-0", "1e400", "-1e400",
        "9223372036854775808", "0.5", "\\u0000", "\\ud800", "\u0000", "\u00e9", "\u4e2d", "\ud83d\ude00", "\ufeff", "\\", "//", "/*",
        "\n", "\r", "\t", " ", "'", "NaN", "Infinity", "\"\":\"\"", "{}", "[]"};
    private static final String PUNCTUATION = "{}[]\":,\\'/ =";
    private final Random random;

    Mutator(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** One mutation (sometimes several) of one of the valid documents. */
    String mutate(List<String> valid) {
        String doc = valid.get(random.nextInt(valid.size()));
        int rounds = 1 + (random.nextInt(4) == 0 ? random.nextInt(4) : 0);
        for (int i = 0; i < rounds; i++) {
            doc = once(doc);
        }
        return doc;
    }

    private String once(String doc) {
        switch (random.nextInt(9)) {
            case 0:
                return doc.substring(0, random.nextInt(doc.length() + 1));
            case 1:
                return flip(doc);
            case 2:
                return insert(doc, TOKENS[random.nextInt(TOKENS.length)]);
            case 3:
            case 4:
            case 5:
                return swapValue(doc);
            case 6:
                return nest(doc);
            case 7:
                return insert(doc, randomString(random.nextInt(32) == 0 ? 50_000 : 40));
            default:
                return removeOrAddKey(doc);
        }
    }

    private String flip(String doc) {
        if (doc.isEmpty()) {
            return String.valueOf(randomChar());
        }
        StringBuilder sb = new StringBuilder(doc);
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            sb.setCharAt(random.nextInt(sb.length()), randomChar());
        }
        return sb.toString();
    }

    private String insert(String doc, String what) {
        int at = random.nextInt(doc.length() + 1);
        return doc.substring(0, at) + what + doc.substring(at);
    }

    private String nest(String doc) {
        int depth = 1 + random.nextInt(random.nextBoolean() ? 20 : 600);
        if (random.nextBoolean()) {
            return "[".repeat(depth) + doc + "]".repeat(depth);
        }
        JsonElement e = parse(doc);
        if (e == null || !e.isJsonObject() || e.getAsJsonObject().size() == 0) {
            return "{\"a\":".repeat(depth) + doc + "}".repeat(depth);
        }
        JsonObject o = e.getAsJsonObject();
        String key = pickKey(o);
        JsonElement v = o.get(key);
        for (int i = 0; i < depth; i++) {
            JsonArray a = new JsonArray();
            a.add(v);
            v = a;
        }
        o.add(key, v);
        return o.toString();
    }

    /** A field's value replaced by a value of another type, here or inside a nested object. */
    private String swapValue(String doc) {
        JsonElement e = parse(doc);
        if (e == null || !e.isJsonObject() || e.getAsJsonObject().size() == 0) {
            return insert(doc, randomValue(0).toString());
        }
        JsonObject o = e.getAsJsonObject();
        String key = pickKey(o);
        JsonElement v = o.get(key);
        if (v.isJsonObject() && v.getAsJsonObject().size() > 0 && random.nextBoolean()) {
            JsonObject inner = v.getAsJsonObject();
            inner.add(pickKey(inner), randomValue(0));
        } else if (v.isJsonArray() && v.getAsJsonArray().size() > 0 && random.nextBoolean()) {
            JsonArray a = v.getAsJsonArray();
            a.set(random.nextInt(a.size()), randomValue(0));
        } else {
            o.add(key, randomValue(0));
        }
        return o.toString();
    }

    private String removeOrAddKey(String doc) {
        JsonElement e = parse(doc);
        if (e == null || !e.isJsonObject()) {
            return flip(doc);
        }
        JsonObject o = e.getAsJsonObject();
        if (o.size() > 0 && random.nextBoolean()) {
            o.remove(pickKey(o));
        } else {
            o.add(random.nextBoolean() ? randomString(8) : "extra_" + random.nextInt(5), randomValue(0));
        }
        return o.toString();
    }

    JsonElement randomValue(int depth) {
        switch (random.nextInt(depth > 2 ? 8 : 10)) {
            case 0:
                return JsonNull.INSTANCE;
            case 1:
                return new JsonPrimitive(random.nextBoolean());
            case 2:
                return new JsonPrimitive(random.nextInt());
            case 3:
                return new JsonPrimitive(new BigDecimal(random.nextBoolean() ? "1e400" : "-98765432109876543210.5"));
            case 4:
                return new JsonPrimitive(randomString(random.nextInt(64) == 0 ? 20_000 : random.nextInt(30)));
            case 5:
                return new JsonPrimitive((random.nextBoolean() ? String.valueOf(Math.abs(random.nextLong())) : "9".repeat(1 + random.nextInt(30)))
                        + "smh".charAt(random.nextInt(3)));
            case 6:
                return new JsonPrimitive(random.nextInt(70000) + ":" + random.nextInt(70000));
            case 7:
                return new JsonPrimitive("http://127.0.0.1:" + random.nextInt(99999) + "/" + randomString(5));
            case 8: {
                JsonArray a = new JsonArray();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    a.add(randomValue(depth + 1));
                }
                return a;
            }
            default: {
                JsonObject o = new JsonObject();
                int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    o.add(randomString(5), randomValue(depth + 1));
                }
                return o;
            }
        }
    }

    String randomString(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(randomChar());
        }
        return sb.toString();
    }

    char randomChar() {
        switch (random.nextInt(6)) {
            case 0:
                return (char) random.nextInt(0x20);
            case 1:
                return (char) (0x80 + random.nextInt(0x780));
            case 2:
                return (char) (0xd800 + random.nextInt(0x800));
            case 3:
                return PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length()));
            default:
                return (char) (0x20 + random.nextInt(0x5f));
        }
    }

    private String pickKey(JsonObject o) {
        List<String> keys = new ArrayList<>(o.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private static JsonElement parse(String doc) {
        try {
            return JsonParser.parseString(doc);
        } catch (RuntimeException | StackOverflowError e) {
            return null;
        }
    }
}
