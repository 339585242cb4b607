package io.choria.hoist.docker;

import io.choria.hoist.HoistException;
import io.choria.hoist.spec.Tags;
import io.choria.hoist.startup.DockerHost;
import io.choria.hoist.startup.EngineHttp;
import java.util.Map;

/**
 * The one place that chooses the Engine client: the endpoint, the reader {@code check} and
 * {@code status} use (the lean one where it can), and the Engine every other command uses. It names
 * no docker-java type, so a check that reads through the lean reader loads none (DockerClients
 * builds docker-java's clients, when asked).
 */
public final class Engines {
    /** Used when neither --docker-host nor DOCKER_HOST is given. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    /** {@code HOIST_CHECK_CLIENT=docker-java} makes check and status read through docker-java (the tests run both). */
    public static final String CLIENT_ENV = "HOIST_CHECK_CLIENT";

    private Engines() {
    }

    /** The Engine endpoint: the flag, else DOCKER_HOST, else the default socket; unix://PATH or tcp://HOST[:PORT]. */
    public static String resolveHost(String flag, String environment) {
        String host;
        String from;
        if (flag != null && !flag.isBlank()) {
            host = flag;
            from = "--docker-host";
        } else if (environment != null && !environment.isBlank()) {
            host = environment;
            from = "DOCKER_HOST";
        } else {
            return DEFAULT_HOST;
        }
        if (!DockerHost.valid(host)) {
            throw HoistException.badInput(from + " '" + Tags.printable(host) + "' is not unix:///PATH or tcp://HOST[:PORT]");
        }
        return host;
    }

    /**
     * The reader {@code check} uses: the lean one for plain unix and tcp endpoints, docker-java for TLS
     * ({@code DOCKER_TLS_VERIFY}) or when {@link #CLIENT_ENV} says docker-java.
     */
    public static EngineReader reader(String host, Map<String, String> env) {
        return reader(host, env, false);
    }

    /** The reader {@code status} uses: as {@link #reader}, its {@code find} reading each container's details, as docker-java's does. */
    public static EngineReader statusReader(String host, Map<String, String> env) {
        return reader(host, env, true);
    }

    private static EngineReader reader(String host, Map<String, String> env, boolean details) {
        if (!"docker-java".equals(env.get(CLIENT_ENV)) && DockerHost.lean(host, env.get("DOCKER_TLS_VERIFY"))) {
            return new LeanEngineReader(new EngineHttp(host), details);
        }
        return engine(host);
    }

    /** The Engine that reads and changes: docker-java's; it negotiates the API version on its first request. */
    public static Engine engine(String host) {
        return DockerClients.engine(host);
    }
}
