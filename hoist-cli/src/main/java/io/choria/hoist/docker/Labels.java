package io.choria.hoist.docker;

/** The labels by which Hoist knows its own containers. Never find them by name. */
public final class Labels {
    public static final String PREFIX = "io.choria.hoist.";
    /** "true" on every container Hoist creates. */
    public static final String MANAGED = PREFIX + "managed";
    /** The Hoist container name (NAME in hoist_NAME). */
    public static final String NAME = PREFIX + "name";
    /** Hash of what the spec decides about the container except its image: {@code v2:} + sha256, see {@link SpecHash}. */
    public static final String SPEC_HASH = PREFIX + "spec-hash";
    /** The image reference the container was created from (image:tag or image@digest). */
    public static final String IMAGE = PREFIX + "image";

    private Labels() {
    }
}
