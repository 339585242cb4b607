package io.choria.hoist.cli;

import io.choria.hoist.ExitCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

@Command(name = "hoist-cli",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = "Manages one node's Hoist containers on the Docker Engine, for the Choria machines the hoist Puppet module writes, and for operators.")
public final class HoistCommand {
    /** The top-level --help's last line: the detail is in each command's own --help. */
    static final String TOP_FOOTER = "Run 'hoist-cli COMMAND --help' for a command's options, exit codes and environment.";

    /** The environment every command's --help ends with. */
    static final String ENVIRONMENT = "Environment: DOCKER_HOST (Engine endpoint), WATCHER_DATA (Choria machine data; the KV tag), HOIST_NATS_URL (NATS for tag and status), HOIST_LOCK_WAIT (seconds a command waits for another on the same container, default 45), MACHINE_NAME (set by Choria: stderr is also logged to hoist.log in the machine folder), HOIST_CLI_JAR, HOIST_JAVA, HOIST_JAVA_OPTS and HOIST_CDS (read by the launcher).";

    /**
     * The subcommands, by name. {@link Cli} registers only the one a command line names (picocli
     * builds each command's model by reflection, the largest part of hoist-cli's start-up), and
     * all of them for help or an unknown name.
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands(CheckCommand.class, StartCommand.class, StopCommand.class,
            RestartCommand.class, UpdateCommand.class, PollCommand.class, StatusCommand.class, PurgeCommand.class, TagCommand.class,
            RolloutCommand.class, DrainCommand.class, EndpointsCommand.class);

    /** The commands by the name their {@code @Command} gives them, in the order the top-level help lists them. */
    private static Map<String, Class<?>> subcommands(Class<?>... commands) {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (Class<?> c : commands) {
            m.put(c.getAnnotation(Command.class).name(), c);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Exit codes for --help, from {@link ExitCode#HELP}. */
    static Map<String, String> exitCodeHelp() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : ExitCode.HELP) {
            String[] parts = line.split("\\s+", 2);
            m.put(parts[0], parts[1]);
        }
        return m;
    }
}
