package io.choria.hoist.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest (Maven's project version). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = HoistCommand.class.getPackage().getImplementationVersion();
        return new String[] {"hoist-cli " + (v == null ? "development build" : v)};
    }
}
