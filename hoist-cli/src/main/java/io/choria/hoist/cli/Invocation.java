package io.choria.hoist.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * One run of a command, the base of its picocli mixins ({@link OnNode}, rollout's target): the
 * command's {@link Context} ({@link CommandFactory} builds a mixin with it) and the command's own name
 * and streams. Its {@code @Command} sets nothing (picocli's annotation processor wants one around a
 * {@code @Spec}).
 */
@Command
class Invocation {
    @Spec(Spec.Target.MIXEE) CommandSpec cmd;
    final Context ctx;

    Invocation(Context ctx) {
        this.ctx = ctx;
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
