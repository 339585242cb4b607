package io.choria.hoist.spec;

/**
 * The tag a container should run, and where it came from.
 *
 * @param tag the tag or digest to run
 * @param source where it came from: {@code kv}, {@code spec} or {@code running}
 * @param warning set when a KV value was refused; the reason, for one stderr line
 */
public record DesiredTag(String tag, String source, String warning) {
    public static final String FROM_KV = "kv";
    public static final String FROM_SPEC = "spec";
    public static final String FROM_RUNNING = "running";
    public static final String FROM_ROLLBACK = "rollback";

    /**
     * As {@link #resolve(ContainerSpec, WatcherData, String)}, and a tag that failed to become
     * healthy on this node ({@code failedTag}) is not tried again: the last good tag (else the
     * running one) stays until the desired tag changes.
     */
    public static DesiredTag resolve(ContainerSpec spec, WatcherData data, String runningTag,
            String failedTag, String lastGoodTag) {
        DesiredTag base = resolve(spec, data, runningTag);
        if (FROM_KV.equals(base.source()) && failedTag == null) {
            // Another node found this tag broken and marked it in the KV beside the tag.
            String marked = data.value(spec.kv().failedMarker().dataKey()).orElse(null);
            if (base.tag().equals(marked)) {
                failedTag = marked;
            }
        }
        if (failedTag == null || !base.tag().equals(failedTag) || FROM_RUNNING.equals(base.source())) {
            return base;
        }
        String fallback = lastGoodTag != null ? lastGoodTag : runningTag;
        if (fallback == null || fallback.equals(failedTag)) {
            return base;
        }
        return new DesiredTag(fallback, FROM_ROLLBACK, "tag " + failedTag + " failed to become healthy (on this node or,"
                + " per " + spec.kv().failedMarker() + ", another); staying on " + fallback + " until the desired tag changes");
    }

    /**
     * Resolves the desired tag. With {@code kv_update}, a valid KV value from the machine data
     * wins. An invalid KV value is ignored with a warning: the tag now running is kept (so a bad
     * value never takes a service down or rolls it back), else the spec's {@code image_tag}.
     *
     * @param runningTag the tag of the running container's image, when it runs this spec's image
     */
    public static DesiredTag resolve(ContainerSpec spec, WatcherData data, String runningTag) {
        if (spec.kvUpdate()) {
            var value = data.value(spec.kv().dataKey());
            if (value.isPresent()) {
                String v = value.get();
                if (Tags.isValid(v)) {
                    return new DesiredTag(v, FROM_KV, null);
                }
                String warning = "ignoring the KV value of " + spec.kv() + ": " + Tags.whyInvalid(v);
                if (runningTag != null) {
                    return new DesiredTag(runningTag, FROM_RUNNING, warning + "; keeping the running tag " + runningTag);
                }
                return new DesiredTag(spec.imageTag(), FROM_SPEC, warning + "; using image_tag " + spec.imageTag());
            }
        }
        return new DesiredTag(spec.imageTag(), FROM_SPEC, null);
    }
}
