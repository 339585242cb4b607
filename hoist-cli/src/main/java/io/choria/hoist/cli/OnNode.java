package io.choria.hoist.cli;

import io.choria.hoist.docker.Engine;
import picocli.CommandLine.Mixin;

/**
 * What a command that acts on this node's containers takes, a picocli mixin: {@link Invocation}'s,
 * --docker-host and --store ({@link GlobalOptions}). {@link OneContainer} adds NAME and --spec,
 * {@link ContainerChange} the container's lock.
 */
class OnNode extends Invocation {
    @Mixin GlobalOptions global;

    OnNode(Context ctx) {
        super(ctx);
    }

    Engine engine() {
        return ctx.engine(global);
    }
}
