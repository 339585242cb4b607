package io.choria.hoist.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A bind mount as {@code docker run -v /host:/container[:ro|:rw]} means it. */
public record VolumeSpec(String source, String target, boolean readOnly) {
    private static final Pattern FORM = Pattern.compile("^(/[^:\\s]*):(/[^:\\s]*)(?::(ro|rw))?$");

    public static VolumeSpec parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expects /host/path:/container/path[:ro|:rw], got '" + Tags.printable(text) + "'");
        }
        return new VolumeSpec(m.group(1), m.group(2), "ro".equals(m.group(3)));
    }

    @Override
    public String toString() {
        return source + ":" + target + (readOnly ? ":ro" : "");
    }
}
