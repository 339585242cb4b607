package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

@Command(name = "hoist-cli",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Manages one node's Hoist containers on the Docker Engine. Choria Autonomous Agents written by the hoist Puppet module call it; operators can too.",
        subcommands = {
            CheckCommand.class, StartCommand.class, StopCommand.class, RestartCommand.class,
            UpdateCommand.class, StatusCommand.class, PurgeCommand.class, TagCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {},
        footerHeading = "%n",
        footer = "Environment: DOCKER_HOST (Engine endpoint), WATCHER_DATA (Choria machine data; the KV tag), HOIST_CLI_JAR and HOIST_JAVA (read by the launcher).")
public final class HoistCommand {
    /** Exit codes for --help, from {@link ExitCode#HELP}. */
    static java.util.Map<String, String> exitCodeHelp() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String line : ExitCode.HELP) {
            String[] parts = line.split("\\s+", 2);
            m.put(parts[0], parts[1]);
        }
        return m;
    }
}
