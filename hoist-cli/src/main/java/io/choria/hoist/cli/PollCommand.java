package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.lifecycle.ContainerLock;
import io.choria.hoist.lifecycle.ImageLedger;
import io.choria.hoist.lifecycle.ImagePoll;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "poll", description = {"Pull a new digest of the desired tag (image_poll).",
        "Digest-following updates (the machine's image_poll watcher runs this): ask the registry for the digest the desired tag points to (a HEAD request for the manifest, with the registry auth file's credentials), and when it is not the local image's and this node first saw it at least min_image_age ago, pull it. Exit 1 when the container does not run the tag's local image (after that pull): the machine then remediates, under restart_governor, health-gated, with rollback. Exit 0 otherwise; a registry that cannot be asked is a warning, exit 0 (the running container is fine)."})
public final class PollCommand implements Callable<Integer> {
    @Mixin ContainerChange container;

    @Override
    public Integer call() {
        Context ctx = container.ctx;
        SpecOptions.Loaded t = container.load();
        var data = ctx.watcherData();
        try (ContainerLock lock = container.lock(t)) {
            ImageLedger ledger = ImageLedger.besideSpec(t.state().file(), ctx::warn);
            var lifecycle = ctx.lifecycle(container.global, t, ledger);
            ImagePoll.Verdict v;
            try {
                v = new ImagePoll(container.engine(), ctx.registry(), lifecycle, ledger, Clock.systemUTC())
                        .poll(t.spec(), data, t.state().repairing().load(), false);
            } catch (HoistException e) {
                if (e.exitCode() != ExitCode.IMAGE_UNAVAILABLE) {
                    throw e;
                }
                ctx.warn(e.getMessage() + "; the running container stays");
                return ExitCode.OK;
            }
            String line = switch (v.outcome()) {
                case PINNED -> v.ref() + " is pinned by digest";
                case CURRENT -> v.ref() + " is current (" + v.remote() + ")";
                case TOO_YOUNG -> v.ref() + " has a new digest " + v.remote() + ", first seen " + v.ageSeconds()
                        + "s ago: taken after min_image_age (" + v.minAgeSeconds() + "s)";
                case NEW -> "pulled " + v.ref() + " (" + v.remote() + ")";
            };
            container.out().println(line);
            if (v.replace()) {
                container.err().println("hoist-cli: " + t.spec().containerName() + " does not run " + v.ref()
                        + " (" + v.local() + "): to be replaced");
                return ExitCode.NOT_RUNNING;
            }
            return ExitCode.OK;
        }
    }
}
