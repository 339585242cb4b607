package io.choria.hoist.spec;

/** Docker's tag grammar, and image digests, which Hoist accepts wherever a tag goes. */
public final class Tags {
    /** A tag or a digest: {@code image_tag}'s pattern in schema/container-spec.v1.json. */
    public static final Grammar PATTERN = Grammar.of(Grammar.TAG, SchemaPatterns.IMAGE_TAG);

    private Tags() {
    }

    public static boolean isValid(String tag) {
        return tag != null && PATTERN.matches(tag);
    }

    public static boolean isDigest(String tag) {
        return tag != null && Grammar.digest(tag);
    }

    /** Why a value is not a tag, in words fit for one stderr line; the value is quoted and shortened. */
    public static String whyInvalid(String tag) {
        return "'" + printable(tag) + "' is not a valid tag (expects [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} or sha256:<64 hex>)";
    }

    /** A value made safe to print on one line: control characters escaped, at most 64 characters. */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (sb.length() >= 64) {
                sb.append("...(").append(value.length()).append(" chars)");
                break;
            }
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
