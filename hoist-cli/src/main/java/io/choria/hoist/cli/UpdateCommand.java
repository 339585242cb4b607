package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.Lifecycle;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "update", description = "Pull the desired image (the KV tag when valid, else image_tag), so that the following restart is quick. Exit 0 when the image is present. The running container is not touched.")
public final class UpdateCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Mixin LockOptions locking;
    @Spec CommandSpec cmd;
    private final Context ctx;

    public UpdateCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SpecOptions.Loaded t = target.load(ctx, global);
        var data = ctx.watcherData();
        try (ContainerLock lock = ctx.lock(t.folder(), t.spec().name(), "hoist-cli update " + t.spec().name(), locking)) {
            String ref = new Lifecycle(ctx.engine(global), ctx::warn).update(t.spec(), data, t.state().repairing().load());
            cmd.commandLine().getOut().println(ref + " is present");
            return ExitCode.OK;
        }
    }
}
