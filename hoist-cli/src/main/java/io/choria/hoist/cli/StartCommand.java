package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.lifecycle.Lifecycle;
import io.choria.hoist.spec.ContainerSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "start", description = "Make sure the desired image is present (pulling it if missing), then replace any hoist_NAME container with a new one made from the spec. Exit 0 only when the new one is running. A failed pull leaves the running container alone.")
public class StartCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin SpecOptions target;
    @Spec CommandSpec cmd;
    private final Context ctx;

    public StartCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ContainerSpec spec = ctx.specs(global).load(target.name, target.spec);
        var data = ctx.watcherData();
        ManagedContainer c = new Lifecycle(ctx.engine(global), ctx::warn).start(spec, data);
        cmd.commandLine().getOut().println(spec.containerName() + " running " + c.imageRef() + " (" + c.id().substring(0, 12) + ")");
        return ExitCode.OK;
    }
}
