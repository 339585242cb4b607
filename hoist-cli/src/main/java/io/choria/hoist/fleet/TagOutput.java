package io.choria.hoist.fleet;

import io.choria.hoist.output.Render;
import java.io.PrintWriter;
import java.util.function.Consumer;

/**
 * Where a tag mode's output goes: its result on stdout (text, or JSON with --json: two renderings of
 * one result object) and notes on stderr.
 *
 * @param out stdout
 * @param json whether --json was given
 * @param say one line on stderr that is neither a result nor a warning
 */
public record TagOutput(PrintWriter out, boolean json, Consumer<String> say) {
    /** Prints the result: {@code view} as JSON, or {@code text} as it is (nothing when empty). */
    public void result(Object view, String text) {
        if (json) {
            out.println(Render.json(view));
        } else {
            out.print(text);
        }
        out.flush();
    }
}
