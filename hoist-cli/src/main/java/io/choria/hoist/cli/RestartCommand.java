package io.choria.hoist.cli;

import picocli.CommandLine.Command;

@Command(name = "restart", description = {"Replace the container now (the same as start).",
        "Replace the container with a new one made from the spec: the same as start."})
public final class RestartCommand extends StartCommand {
}
