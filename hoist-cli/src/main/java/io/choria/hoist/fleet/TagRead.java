package io.choria.hoist.fleet;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.KvException;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.output.TagView;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.spec.KvLocation;
import java.util.List;
import java.util.Optional;

/**
 * {@code tag NAME}: the tag the KV asks for, alone on stdout, judged as the machine judges it
 * ({@link RolloutPolicy.KvValue}). Exit 1 when there is none (the spec's image_tag applies), exit 2
 * when the value is refused.
 */
public final class TagRead {
    /** Exit 1: the key is not set (the spec's image_tag applies); {@code tag}'s exit code. */
    public static final int KEY_NOT_SET = ExitCode.NOT_RUNNING;

    private TagRead() {
    }

    public static int run(TagStore store, TagAt at, TagOutput output) {
        KvLocation loc = at.location();
        String otherwise = RolloutPolicy.withoutKvValue(at.spec());
        Optional<TagEntry> e;
        try {
            e = store.get(loc);
        } catch (BucketMissingException m) {
            throw new KvException(m.getMessage() + ", so " + otherwise + " applies; create it with 'choria kv add "
                    + loc.bucket() + "' or 'hoist-cli tag " + at.name() + " TAG --create'", m);
        }
        RolloutPolicy.KvValue value = RolloutPolicy.KvValue.of(e.map(TagEntry::value).orElse(null));
        if (value.refusal() != null) {
            throw HoistException.badInput(loc + " holds " + value.refusal() + "; Hoist ignores it and " + RolloutPolicy.onRefusedValue(at.spec()));
        }
        if (value.tag() == null) {
            output.result(new TagView(null, null, null, loc.bucket(), loc.key()), "");
            output.say().accept(loc + (e.isPresent() ? " holds an empty value" : " is not set" + whyNotSet(store, loc)) + ", so " + otherwise
                    + " applies");
            return TagRead.KEY_NOT_SET;
        }
        TagEntry t = e.get();
        output.result(new TagView(value.tag(), t.revision(), t.time() == null ? null : t.time().toString(), loc.bucket(), loc.key()),
                value.tag() + System.lineSeparator());
        return ExitCode.OK;
    }

    /** " (deleted at revision N)" when the last value is a delete or purge marker. */
    private static String whyNotSet(TagStore store, KvLocation loc) {
        List<TagEntry> h = store.history(loc);
        if (h.isEmpty() || h.get(h.size() - 1).isPut()) {
            return "";
        }
        TagEntry last = h.get(h.size() - 1);
        return " (" + (TagEntry.PURGE.equals(last.operation()) ? "purged" : "deleted") + " at revision " + last.revision() + ")";
    }
}
