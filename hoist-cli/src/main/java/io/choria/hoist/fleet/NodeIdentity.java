package io.choria.hoist.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * This node's name in the status bucket and in canary slots: {@code HOIST_IDENTITY} (the Puppet
 * class's {@code identity}, its Choria identity), else the host name.
 */
public final class NodeIdentity {
    public static final String ENV = "HOIST_IDENTITY";

    private NodeIdentity() {
    }

    public static String of(Map<String, String> env) {
        String id = env.get(ENV);
        if (id == null || id.isBlank()) {
            try {
                id = InetAddress.getLocalHost().getCanonicalHostName();
            } catch (UnknownHostException e) {
                id = env.getOrDefault("HOSTNAME", "unknown");
            }
        }
        // A NATS key allows letters, digits and - _ = . / only.
        return id.trim().replaceAll("[^-_=./a-zA-Z0-9]", "_");
    }
}
