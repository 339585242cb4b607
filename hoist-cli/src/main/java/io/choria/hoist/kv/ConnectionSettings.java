package io.choria.hoist.kv;

import io.choria.hoist.HoistException;
import io.choria.hoist.spec.Tags;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How to reach the broker: its URLs, optional NATS credentials and TLS files, and where they came
 * from (for messages). Made by {@link #resolve}; used by {@link JetStreamTagStore#connect}.
 *
 * @param servers broker URLs, {@code nats://} or {@code tls://}
 * @param creds a NATS credentials file, or null
 * @param tls PEM files; null for none (a {@code tls://} URL then uses the JVM's trust store)
 * @param source where the servers came from, e.g. {@code --server}, {@code HOIST_NATS_URL} or a file
 * @param connectTimeout how long one connection attempt may take
 */
public record ConnectionSettings(List<String> servers, Path creds, TlsFiles tls, String source, Duration connectTimeout) {
    /** The environment variable that names the broker when --server is not given. */
    public static final String ENV_URL = "HOIST_NATS_URL";
    /** A Choria configuration to read the broker from, as --choria-config (the Puppet module sets it on nodes). */
    public static final String ENV_CONFIG = "HOIST_CHORIA_CONFIG";
    /** Short, so that a dead broker gives its one line within a few seconds. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Set<String> SCHEMES = Set.of("nats", "tls");

    public ConnectionSettings {
        servers = List.copyOf(servers);
    }

    /** TLS is used when certificate files are given or a URL says {@code tls://}. */
    public boolean usesTls() {
        return tls != null && !tls.isEmpty() || servers.stream().anyMatch(s -> s.startsWith("tls://"));
    }

    /** What the user asked for on the command line; any field may be null. */
    public record Request(List<String> servers, Path creds, TlsFiles tls, Path choriaConfig) {
    }

    /**
     * Picks the broker, in order: {@code --server}; {@code --choria-config FILE} (or {@code $HOIST_CHORIA_CONFIG}); {@code $HOIST_NATS_URL};
     * the first Choria client configuration in DEFAULT_CONFIGS that exists. The {@code --tls-*} files
     * replace those a Choria configuration names; a configuration is not read when the servers come
     * from {@code --server} or the environment, unless {@code --choria-config} is given.
     */
    public static ConnectionSettings resolve(Request req, Map<String, String> env, List<Path> defaultConfigs) {
        TlsFiles flags = req.tls() == null ? new TlsFiles(null, null, null) : req.tls();
        List<String> flagServers = req.servers() == null ? List.of() : req.servers();
        ChoriaConfig config = null;
        if (req.choriaConfig() != null) {
            config = ChoriaConfig.read(req.choriaConfig(), env);
        } else if (flagServers(req).isEmpty() && env.get(ENV_CONFIG) != null && !env.get(ENV_CONFIG).isBlank()) {
            config = ChoriaConfig.read(Path.of(env.get(ENV_CONFIG)), env);
        }
        List<String> servers;
        String source;
        if (!flagServers.isEmpty()) {
            servers = normalize(flagServers, "--server");
            source = "--server";
        } else if (config != null) {
            servers = config.middlewareHosts();
            source = config.file().toString();
        } else if (env.get(ENV_URL) != null && !env.get(ENV_URL).isBlank()) {
            servers = normalize(List.of(env.get(ENV_URL).split(",")), ENV_URL);
            source = ENV_URL;
        } else {
            Path found = defaultConfigs.stream().filter(Files::isRegularFile).findFirst().orElse(null);
            if (found == null) {
                List<String> looked = defaultConfigs.stream().map(Path::toString).toList();
                throw HoistException.badInput("no NATS server to connect to: give --server URL, set " + ENV_URL
                        + ", or give --choria-config FILE (no Choria client configuration at " + String.join(", ", looked) + ")");
            }
            config = ChoriaConfig.read(found, env);
            servers = config.middlewareHosts();
            source = found.toString();
        }
        boolean flagsComplete = flags.cert() != null && flags.key() != null && flags.ca() != null;
        TlsFiles tls = flags.over(config == null || flagsComplete ? null : config.tls());
        if (tls.isEmpty()) {
            tls = null;
        } else if (tls.cert() == null != (tls.key() == null)) {
            throw HoistException.badInput("a client certificate needs its key: give both --tls-cert and --tls-key");
        }
        return new ConnectionSettings(servers, req.creds(), tls, source, CONNECT_TIMEOUT);
    }

    private static List<String> flagServers(Request req) {
        return req.servers() == null ? List.of() : req.servers();
    }

    /** Splits and checks broker URLs; {@code host:port} means {@code nats://host:port}. */
    static List<String> normalize(List<String> given, String from) {
        List<String> out = new ArrayList<>();
        for (String g : given) {
            String s = g.strip();
            if (s.isEmpty()) {
                continue;
            }
            String url = s.contains("://") ? s : "nats://" + s;
            try {
                URI u = new URI(url);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!SCHEMES.contains(scheme) || u.getHost() == null) {
                    throw new URISyntaxException(url, "not nats:// or tls:// with a host");
                }
            } catch (URISyntaxException e) {
                throw HoistException.badInput(from + ": '" + Tags.printable(s) + "' is not a NATS URL (nats://HOST:PORT, tls://HOST:PORT or HOST:PORT)");
            }
            out.add(url);
        }
        if (out.isEmpty()) {
            throw HoistException.badInput(from + " names no server");
        }
        return out;
    }
}
