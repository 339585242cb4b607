package io.choria.hoist.cli;

import io.choria.hoist.docker.Engine;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What a command that acts on this node's containers takes and uses, a picocli mixin: --docker-host and
 * --store ({@link GlobalOptions}), the command's {@link Context} ({@link CommandFactory} builds the mixin
 * with it) and the command's own name and streams. {@link OneContainer} adds NAME and --spec,
 * {@link ContainerChange} the container's lock.
 */
class OnNode {
    @Mixin GlobalOptions global;
    @Spec(Spec.Target.MIXEE) CommandSpec cmd;
    final Context ctx;

    OnNode(Context ctx) {
        this.ctx = ctx;
    }

    Engine engine() {
        return ctx.engine(global);
    }

    /** The command's stdout. */
    PrintWriter out() {
        return cmd.commandLine().getOut();
    }

    /** The command's stderr. */
    PrintWriter err() {
        return cmd.commandLine().getErr();
    }
}
