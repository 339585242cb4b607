package io.choria.hoist.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code hoist-cli 0.1.0 (commit 0123abc...)}: the version from the module's metadata.json and the
 * git commit, both put into the jar when it is built (hoist-cli/pom.xml). The version is the
 * module's: one value for metadata.json, the jar and the release tarball's name.
 */
public final class VersionProvider implements IVersionProvider {
    static final String METADATA = "/io/choria/hoist/metadata.json";
    static final String BUILD = "/io/choria/hoist/build.properties";

    @Override
    public String[] getVersion() {
        return new String[] {"hoist-cli " + version() + " (commit " + commit() + ")"};
    }

    /** metadata.json's version, as the jar holds it; "unknown" when it does not. */
    static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(METADATA)) {
            if (in != null) {
                JsonElement doc = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                JsonElement v = doc.isJsonObject() ? doc.getAsJsonObject().get("version") : null;
                if (v != null && v.isJsonPrimitive()) {
                    return v.getAsString();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a jar without readable metadata: say so below rather than fail --version
        }
        return "unknown";
    }

    /** The commit the jar was built from ("-dirty" when the tree had changes); "unknown" outside git. */
    static String commit() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(BUILD)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String c = p.getProperty("commit", "").strip();
                if (!c.isEmpty()) {
                    return c;
                }
            }
        } catch (IOException e) {
            // as above
        }
        return "unknown";
    }
}
