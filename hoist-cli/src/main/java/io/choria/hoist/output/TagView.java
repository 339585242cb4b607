package io.choria.hoist.output;

/**
 * One value of a tag key: the result object that {@code tag NAME} and {@code tag NAME TAG} render.
 * All but bucket and key are null when the key holds no tag.
 *
 * @param tag the tag
 * @param revision the bucket-wide revision of the value
 * @param time when the broker stored it (RFC 3339)
 * @param bucket the bucket
 * @param key the key
 */
public record TagView(String tag, Long revision, String time, String bucket, String key) {
    /** tag NAME TAG's text: {@code BUCKET/KEY = TAG (revision N)}. */
    public String written() {
        return bucket + "/" + key + " = " + tag + " (revision " + revision + ")";
    }
}
