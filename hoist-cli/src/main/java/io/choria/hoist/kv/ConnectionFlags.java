package io.choria.hoist.kv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The command-line options that say how to reach the Key-Value store (a picocli mixin for the
 * commands that use it). {@link ConnectionSettings#resolve} decides what they mean.
 */
public final class ConnectionFlags {
    /** Choria client configurations tried, in order, when nothing else names a broker. */
    public static final List<String> DEFAULT_CHORIA_CONFIGS = List.of(
            "~/.choriarc", "/etc/choria/client.conf", "/usr/local/etc/choria/client.conf");

    @Option(names = "--server", paramLabel = "URL", split = ",",
            description = "NATS broker(s): nats://HOST:PORT, tls://HOST:PORT or HOST:PORT (default: $HOIST_NATS_URL, else the Choria client configuration)")
    List<String> servers;

    @Option(names = "--creds", paramLabel = "FILE", description = "NATS credentials file (JWT and NKey seed)")
    Path creds;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Client certificate, PEM")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Private key of the client certificate, PEM, unencrypted (PKCS#8, PKCS#1 RSA or SEC1 EC, as Choria reads them)")
    Path tlsKey;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "CA certificate(s) that sign the broker's certificate, PEM")
    Path tlsCa;

    @Option(names = "--choria-config", paramLabel = "FILE",
            description = "Choria client configuration to take plugin.choria.middleware_hosts and the security provider's certificates from (default, when neither --server nor $HOIST_NATS_URL is given: ~/.choriarc, /etc/choria/client.conf)")
    Path choriaConfig;

    public ConnectionSettings.Request request() {
        return new ConnectionSettings.Request(servers, creds, new TlsFiles(tlsCert, tlsKey, tlsCa), choriaConfig);
    }

    /**
     * Whether any broker is configured at all: flags, $HOIST_NATS_URL, $HOIST_CHORIA_CONFIG or a
     * default Choria configuration that exists. Commands for which the KV is optional skip it when not.
     * A check asks it after every run without a broker (its status report): no streams or lambdas here.
     */
    public boolean anyConfigured(Map<String, String> env) {
        if (servers != null && !servers.isEmpty() || choriaConfig != null
                || !env.getOrDefault(ConnectionSettings.ENV_URL, "").isBlank()
                || !env.getOrDefault(ConnectionSettings.ENV_CONFIG, "").isBlank()) {
            return true;
        }
        for (Path p : defaultChoriaConfigs(env)) {
            if (Files.isRegularFile(p)) {
                return true;
            }
        }
        return false;
    }

    /** The default Choria configurations with {@code ~} expanded from ENV's HOME (skipped without one). */
    public static List<Path> defaultChoriaConfigs(Map<String, String> env) {
        String home = env.get("HOME");
        List<Path> paths = new ArrayList<>();
        for (String p : DEFAULT_CHORIA_CONFIGS) {
            if (!p.startsWith("~")) {
                paths.add(Path.of(p));
            } else if (home != null && !home.isEmpty()) {
                paths.add(Path.of(home + p.substring(1)));
            }
        }
        return List.copyOf(paths);
    }
}
