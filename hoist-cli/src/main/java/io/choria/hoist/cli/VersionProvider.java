package io.choria.hoist.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code hoist-cli 0.1.0 (commit 0123abc...)}: the module's version (metadata.json's: one value for
 * the module, the jar and the release tarball) and the git commit the jar was built from, both
 * written into {@code BuildInfo} by the build (hoist-cli/pom.xml). Compile-time constants: picocli
 * asks for the version whenever it builds a command line, check's too, and this reads nothing.
 */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }

    static String line() {
        return "hoist-cli " + BuildInfo.VERSION + " (commit " + BuildInfo.COMMIT + ")";
    }
}
