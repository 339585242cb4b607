package io.choria.hoist.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * --version: the module's version (metadata.json's, written into BuildInfo by the build) and the commit.
 * The release stage checks the same of the jar in the release tarball.
 */
class VersionProviderTest {
    static String moduleVersion() throws IOException {
        // Maven runs the tests in hoist-cli/; metadata.json is the module's, one folder up.
        return JsonParser.parseString(Files.readString(Path.of("..", "metadata.json"))).getAsJsonObject().get("version").getAsString();
    }

    @Test
    void prints_the_modules_version_and_the_commit_on_stdout() throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = Cli.run(new Context(Map.of(), Path.of("unused"), host -> null), new PrintWriter(out), new PrintWriter(err), "--version");
        assertThat(rc).isEqualTo(ExitCode.OK);
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).matches("hoist-cli \\Q" + moduleVersion() + "\\E \\(commit ([0-9a-f]{40}(-dirty)?|unknown)\\)\\R");
    }

    @Test
    void the_version_is_metadata_jsons_and_the_commit_is_the_builds() throws IOException {
        assertThat(BuildInfo.VERSION).isEqualTo(moduleVersion());
        // Built in this checkout by Maven: the commit is known (hoist-cli/pom.xml asks git).
        assertThat(BuildInfo.COMMIT).matches("[0-9a-f]{40}(-dirty)?");
    }
}
