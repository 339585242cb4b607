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
     * healthy on this node ({@code failedTag}), or that another node marked failed in the KV
     * ({@link KvLocation#failedMarker()}, in the machine data), is not tried: the last good tag
     * (else the running one) stays until the desired tag changes.
     */
    public static DesiredTag resolve(ContainerSpec spec, WatcherData data, String runningTag,
            String failedTag, String lastGoodTag) {
        DesiredTag base = resolve(spec, data, runningTag);
        if (FROM_RUNNING.equals(base.source())) {
            return base;
        }
        String why;
        if (base.tag().equals(failedTag)) {
            why = "failed to become healthy on this node";
        } else if (FROM_KV.equals(base.source())
                && base.tag().equals(data.value(spec.kv().failedMarker().dataKey()).orElse(null))) {
            why = "is marked failed in " + spec.kv().failedMarker() + " by another node";
        } else {
            return base;
        }
        String fallback = lastGoodTag != null ? lastGoodTag : runningTag;
        if (fallback == null || fallback.equals(base.tag())) {
            return base;
        }
        return new DesiredTag(fallback, FROM_ROLLBACK, "tag " + base.tag() + " " + why + "; staying on " + fallback
                + " until the desired tag changes");
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
