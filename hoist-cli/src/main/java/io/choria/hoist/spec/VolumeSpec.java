package io.choria.hoist.spec;

/** A bind mount as {@code docker run -v /host:/container[:ro|:rw]} means it. */
public record VolumeSpec(String source, String target, boolean readOnly) {

    /** Parses a bind that {@link SpecParser#VOLUME} describes; anything else is an IllegalArgumentException. */
    public static VolumeSpec parse(String text) {
        if (!SpecParser.VOLUME.matches(text)) {
            throw new IllegalArgumentException("expects /host/path:/container/path[:ro|:rw] (absolute paths without :, newline or NUL), got '"
                    + Tags.printable(text) + "'");
        }
        String[] parts = text.split(":", -1);
        return new VolumeSpec(parts[0], parts[1], parts.length == 3 && "ro".equals(parts[2]));
    }

    @Override
    public String toString() {
        return source + ":" + target + (readOnly ? ":ro" : "");
    }
}
