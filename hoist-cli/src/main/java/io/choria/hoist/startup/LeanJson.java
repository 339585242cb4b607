package io.choria.hoist.startup;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonParser;
import com.google.gson.internal.LazilyParsedNumber;

/**
 * Reads the JSON that {@code check} reads on every run (container.json, hoist-state.json, the
 * machine data, the Engine's answers) into gson's own tree, the tree gson's parser gives, without
 * gson's parser: starting it (its type adapters) cost more than the documents it reads.
 *
 * <p>It reads RFC 8259 JSON only, and returns null for anything else, or anything unusual: another
 * whitespace, a control character or another escape in a string, a duplicate key, nesting deeper
 * than {@link #MAX_DEPTH}. The caller then asks gson, whose tree, or error message, is the answer,
 * as before. So whatever this reader returns is what gson would have returned (LeanJsonTest compares
 * them on generated and damaged documents, strict and lenient).
 * On check's path: see {@link io.choria.hoist.startup} for its rules.
 */
public final class LeanJson {
    /** Deeper documents are gson's (Hoist's are three levels deep). */
    static final int MAX_DEPTH = 64;

    private final String s;
    private int pos;

    private LeanJson(String s) {
        this.s = s;
    }

    /** The tree of {@code text}, as gson's parser gives it; null when gson is to read it. */
    public static JsonElement parse(String text) {
        LeanJson r = new LeanJson(text);
        r.space();
        JsonElement v = r.value(0);
        if (v == null) {
            return null;
        }
        r.space();
        return r.pos == text.length() ? v : null;
    }

    /** The tree of {@code text}: this reader's, else gson's (lenient, as {@link JsonParser#parseString}). */
    public static JsonElement parseOrGson(String text) {
        JsonElement v = parse(text);
        return v != null ? v : JsonParser.parseString(text);
    }

    private void space() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private JsonElement value(int depth) {
        if (pos >= s.length() || depth > MAX_DEPTH) {
            return null;
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"': {
                String str = string();
                return str == null ? null : new JsonPrimitive(str);
            }
            case 't':
                return word("true") ? new JsonPrimitive(Boolean.TRUE) : null;
            case 'f':
                return word("false") ? new JsonPrimitive(Boolean.FALSE) : null;
            case 'n':
                return word("null") ? JsonNull.INSTANCE : null;
            default:
                return c == '-' || c >= '0' && c <= '9' ? number() : null;
        }
    }

    private boolean word(String w) {
        if (!s.startsWith(w, pos)) {
            return false;
        }
        pos += w.length();
        // "trueish" is not true: the word must end here.
        return pos >= s.length() || !Character.isLetterOrDigit(s.charAt(pos));
    }

    private JsonObject object(int depth) {
        JsonObject o = new JsonObject();
        pos++;
        space();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return o;
        }
        while (true) {
            if (pos >= s.length() || s.charAt(pos) != '"') {
                return null;
            }
            String key = string();
            if (key == null || o.has(key)) {
                return null;
            }
            space();
            if (pos >= s.length() || s.charAt(pos) != ':') {
                return null;
            }
            pos++;
            space();
            JsonElement v = value(depth);
            if (v == null) {
                return null;
            }
            o.add(key, v);
            space();
            if (pos >= s.length()) {
                return null;
            }
            char c = s.charAt(pos++);
            if (c == '}') {
                return o;
            }
            if (c != ',') {
                return null;
            }
            space();
        }
    }

    private JsonArray array(int depth) {
        JsonArray a = new JsonArray();
        pos++;
        space();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return a;
        }
        while (true) {
            JsonElement v = value(depth);
            if (v == null) {
                return null;
            }
            a.add(v);
            space();
            if (pos >= s.length()) {
                return null;
            }
            char c = s.charAt(pos++);
            if (c == ']') {
                return a;
            }
            if (c != ',') {
                return null;
            }
            space();
        }
    }

    /** A string at pos (on its opening quote), unescaped; null for a control character or an unknown escape. */
    private String string() {
        int start = ++pos;
        StringBuilder b = null;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '"') {
                String out = b == null ? s.substring(start, pos) : b.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) {
                return null;
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (b == null) {
                b = new StringBuilder();
            }
            b.append(s, start, pos);
            if (pos + 1 >= s.length()) {
                return null;
            }
            char e = s.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case '"': b.append('"'); break;
                case '\\': b.append('\\'); break;
                case '/': b.append('/'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'u': {
                    if (pos + 4 > s.length()) {
                        return null;
                    }
                    int v = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0 || s.charAt(pos + i) > 'f') {
                            return null;
                        }
                        v = v * 16 + d;
                    }
                    b.append((char) v);
                    pos += 4;
                    break;
                }
                default:
                    return null;
            }
            start = pos;
        }
        return null;
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, kept as its text, as gson keeps it. */
    private JsonElement number() {
        int start = pos;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        if (pos >= s.length()) {
            return null;
        }
        if (s.charAt(pos) == '0') {
            pos++;
        } else if (!digits()) {
            return null;
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            pos++;
            if (!digits()) {
                return null;
            }
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            if (!digits()) {
                return null;
            }
        }
        // A number runs into a letter or another digit only in what JSON does not allow (gson's to judge).
        if (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
            return null;
        }
        return new JsonPrimitive(new LazilyParsedNumber(s.substring(start, pos)));
    }

    /** One or more digits at pos. */
    private boolean digits() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }
}
