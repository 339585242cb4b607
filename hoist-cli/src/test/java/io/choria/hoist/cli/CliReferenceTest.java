package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * docs/cli.md's reference part is generated from the picocli model: every command's {@code --help},
 * as hoist-cli prints it. This test fails when the page is not what the model gives now; run it
 * with {@code HOIST_WRITE_DOCS=1} to rewrite the page's part between its two markers:
 * {@code HOIST_WRITE_DOCS=1 mvn -B -q test -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class CliReferenceTest {
    static final String PAGE = "docs/cli.md";
    static final String BEGIN = "<!-- cli reference: generated from hoist-cli's picocli model by CliReferenceTest; "
            + "rewrite it with HOIST_WRITE_DOCS=1 mvn -B -q test -Dtest=CliReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -->";
    static final String END = "<!-- end of the cli reference -->";

    @TempDir Path store;

    /** Every command's path below hoist-cli, in the order --help lists them ([] is hoist-cli itself). */
    List<List<String>> commandPaths() {
        try (Context ctx = context()) {
            CommandLine top = Cli.commandLine(ctx, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "--help");
            List<List<String>> paths = new ArrayList<>();
            collect(top, new ArrayList<>(), paths);
            return paths;
        }
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        for (var sub : cl.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(path);
            next.add(sub.getKey());
            collect(sub.getValue(), next, paths);
        }
    }

    Context context() {
        return new Context(new HashMap<>(), store, host -> {
            throw new AssertionError("--help must not ask the Docker Engine");
        });
    }

    /** What {@code hoist-cli PATH... --help} prints. */
    String help(List<String> path) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        CliRun r = CliRun.of(context(), false, args.toArray(new String[0]));
        assertThat(r.exitCode()).as("hoist-cli %s --help", path).isEqualTo(ExitCode.OK);
        assertThat(r.err()).as("hoist-cli %s --help", path).isEmpty();
        return r.out();
    }

    /**
     * The generated part of docs/cli.md, markers included: each command's --help as hoist-cli prints
     * it, less the exit codes and the environment that every command's --help repeats (the page has
     * them once, above the reference).
     */
    String reference() {
        StringBuilder b = new StringBuilder(BEGIN).append("\n\nEvery command's `--help` ends with the [exit codes](#exit-codes) and the environment it reads:\n\n```text\n");
        String check = help(List.of("check"));
        b.append(check.substring(check.indexOf("Environment: DOCKER_HOST")).stripTrailing()).append("\n```\n");
        for (List<String> path : commandPaths()) {
            String name = String.join(" ", concat("hoist-cli", path));
            String help = help(path);
            String page = withoutRepeatedParts(help);
            b.append("\n### ").append(name).append("\n\n```text\n").append(page.stripTrailing()).append("\n```\n");
        }
        return b.append("\n").append(END).toString();
    }

    /** HELP without its exit code list and the environment paragraph (both the same for every command). */
    static String withoutRepeatedParts(String help) {
        String flat = help;
        int codes = flat.indexOf("\nExit codes:\n");
        if (codes >= 0) {
            int after = flat.indexOf("\n\n", codes + 1);
            flat = flat.substring(0, codes + 1) + (after >= 0 ? flat.substring(after + 2) : "");
        }
        int env = flat.indexOf("Environment: DOCKER_HOST");
        if (env >= 0) {
            flat = flat.substring(0, env);
        }
        return flat.stripTrailing() + "\n";
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    static Path page() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(PAGE))) {
                return p.resolve(PAGE);
            }
        }
        throw new IllegalStateException("no " + PAGE + " above " + Path.of("").toAbsolutePath());
    }

    @Test
    void the_page_leaves_out_only_the_exit_codes_and_environment_every_help_repeats() {
        String tag = help(List.of("tag"));
        assertThat(tag).contains("Exit codes:").contains("Environment: DOCKER_HOST");
        String page = withoutRepeatedParts(tag);
        assertThat(page).doesNotContain("Exit codes:").doesNotContain("Environment:").doesNotContain("70   unexpected error")
                .contains("Usage: hoist-cli tag").contains("--history").contains("When the key is not set");
    }

    @Test
    void the_reference_covers_every_command() {
        List<String> names = commandPaths().stream().map(p -> String.join(" ", p)).toList();
        assertThat(names).startsWith("", "check", "start", "stop", "restart", "update", "poll", "status", "purge", "tag", "rollout")
                .contains("drain", "endpoints", "rollout status", "rollout start", "rollout promote", "rollout pause", "rollout resume", "rollout abort");
    }

    @Test
    void docs_cli_md_holds_the_reference_the_model_gives_now() throws IOException {
        Path page = page();
        String text = Files.readString(page);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("%s has the marker %s", PAGE, BEGIN).isNotNegative();
        assertThat(end).as("%s has the marker %s after its begin marker", PAGE, END).isGreaterThan(begin);
        String want = reference();
        String now = text.substring(begin, end + END.length());
        if (!now.equals(want) && "1".equals(System.getenv("HOIST_WRITE_DOCS"))) {
            Files.writeString(page, text.substring(0, begin) + want + text.substring(end + END.length()));
            return;
        }
        assertThat(now).as("%s is not current: rewrite it with HOIST_WRITE_DOCS=1 mvn -B -q test -Dtest=CliReferenceTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false", PAGE).isEqualTo(want);
    }
}
