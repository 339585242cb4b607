package io.choria.hoist.spec;

/**
 * What a spec says about the images of its repository beyond the one it runs: how many old ones
 * cleanup keeps ({@code keep_images}), how often the machine asks the registry for the desired
 * tag's digest ({@code image_poll}, null when it does not), and how long this node waits after it
 * first saw a new digest before taking it ({@code min_image_age}). None of them reaches the
 * container, so none is in the spec hash.
 */
public record ImagePolicy(int keepImages, String poll, long minAgeSeconds) {
    public static final int DEFAULT_KEEP_IMAGES = 2;
    public static final int KEEP_IMAGES_MIN = 0;
    public static final int KEEP_IMAGES_MAX = 100;
    public static final String DEFAULT_MIN_IMAGE_AGE = "0s";

    public static final ImagePolicy DEFAULT = new ImagePolicy(DEFAULT_KEEP_IMAGES, null, 0);
}
