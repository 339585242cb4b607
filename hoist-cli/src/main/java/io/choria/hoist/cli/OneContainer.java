package io.choria.hoist.cli;

import picocli.CommandLine.Mixin;

/** What a command that acts on one container takes, a picocli mixin: {@link OnNode}'s, NAME and --spec ({@link SpecOptions}). */
class OneContainer extends OnNode {
    @Mixin SpecOptions target;

    OneContainer(Context ctx) {
        super(ctx);
    }

    /** The spec (validated) and this node's state of it. */
    SpecOptions.Loaded load() {
        return target.load(ctx, global);
    }
}
