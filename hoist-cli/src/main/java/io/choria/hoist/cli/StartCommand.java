package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.docker.ManagedContainer;
import io.choria.hoist.lifecycle.Lifecycle;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "start", description = "Make sure the desired image is present (pulling it if missing), then replace any hoist_NAME container with a new one made from the spec. Exit 0 only when the new one has been running and healthy (Docker health status and the spec's probes) for min_healthy_time, within start_timeout; else exit 6. A failed pull leaves the running container alone. A new tag that never becomes healthy is rolled back to the last image that did (exit 0, with a warning) and is not tried again here until the desired tag changes; repeated failures back off (30 s, doubling, at most 10 min).")
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
        SpecLoader specs = ctx.specs(global);
        ContainerSpec spec = specs.load(target.name, target.spec);
        var data = ctx.watcherData();
        var state = ctx.state(specs.locate(target.name, target.spec));
        ManagedContainer c = new Lifecycle(ctx.engine(global), ctx::warn).start(spec, data, state);
        cmd.commandLine().getOut().println(spec.containerName() + " running " + c.imageRef() + " (" + c.id().substring(0, 12) + ")");
        return ExitCode.OK;
    }
}
