package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.lifecycle.Lifecycle;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "update", description = "Pull the desired image (the KV tag when valid, else image_tag), so that the following restart is quick. Exit 0 when the image is present. The running container is not touched.")
public final class UpdateCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Spec CommandSpec cmd;
    private final Context ctx;

    public UpdateCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SpecLoader specs = ctx.specs(global);
        ContainerSpec spec = specs.load(target.name, target.spec);
        var state = ctx.state(specs.locate(target.name, target.spec)).load();
        String ref = new Lifecycle(ctx.engine(global), ctx::warn).update(spec, ctx.watcherData(), state);
        cmd.commandLine().getOut().println(ref + " is present");
        return ExitCode.OK;
    }
}
