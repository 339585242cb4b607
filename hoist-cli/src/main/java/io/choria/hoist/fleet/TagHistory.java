package io.choria.hoist.fleet;

import io.choria.hoist.ExitCode;
import io.choria.hoist.kv.BucketMissingException;
import io.choria.hoist.kv.KvException;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.kv.TagStore;
import io.choria.hoist.output.Render;
import io.choria.hoist.output.TagHistoryView;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.spec.KvLocation;
import java.util.List;

/** {@code tag NAME --history[=N]}: the values the bucket keeps for the key, oldest first (the last N). Exit 1 when there are none. */
public final class TagHistory {
    private TagHistory() {
    }

    public static int run(TagStore store, TagAt at, int last, TagOutput output) {
        KvLocation loc = at.location();
        List<TagEntry> all;
        try {
            all = store.history(loc);
        } catch (BucketMissingException m) {
            throw new KvException(m.getMessage() + ", so " + RolloutPolicy.withoutKvValue(at.spec()) + " applies", m);
        }
        List<TagEntry> shown = last > 0 && all.size() > last ? all.subList(all.size() - last, all.size()) : all;
        TagHistoryView view = new TagHistoryView(loc.bucket(), loc.key(), shown.stream()
                .map(t -> new TagHistoryView.Row(t.revision(), t.time() == null ? null : t.time().toString(), t.operation(), t.value()))
                .toList());
        output.result(view, Render.tagHistoryText(view));
        if (all.isEmpty()) {
            output.say().accept(loc + " has no values, so " + RolloutPolicy.withoutKvValue(at.spec()) + " applies");
            return TagRead.KEY_NOT_SET;
        }
        return ExitCode.OK;
    }
}
