package io.choria.hoist.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.choria.hoist.spec.Grammar;
import java.time.Duration;
import java.util.Map;

/** Builds Hoist's Docker clients; nothing else constructs one. */
public final class DockerClients {
    /** Used when neither --docker-host nor DOCKER_HOST is given. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(30);

    private DockerClients() {
    }

    /** The endpoints hoist-cli takes; {@link #validHost} matches it without compiling it (check's path). */
    static final String HOST = "^(unix://(/\\S+)|tcp://[^\\s/:]+(:[0-9]{1,5})?/?)$";

    /** Whether {@code s} matches {@link #HOST} (DockerClientsTest compares the two). */
    static boolean validHost(String s) {
        int n = s.length();
        if (s.startsWith("unix://")) {
            if (n < 9 || s.charAt(7) != '/') {
                return false;
            }
            for (int i = 8; i < n; i++) {
                if (Grammar.blank(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
        if (!s.startsWith("tcp://")) {
            return false;
        }
        int i = 6;
        while (i < n && !Grammar.blank(s.charAt(i)) && s.charAt(i) != '/' && s.charAt(i) != ':') {
            i++;
        }
        if (i == 6) {
            return false;
        }
        if (i < n && s.charAt(i) == ':') {
            int digits = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i - digits < 1 || i - digits > 5) {
                return false;
            }
        }
        if (i < n && s.charAt(i) == '/') {
            i++;
        }
        return i == n;
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
        if (!validHost(host)) {
            throw io.choria.hoist.HoistException.badInput(from + " '" + io.choria.hoist.spec.Tags.printable(host)
                    + "' is not unix:///PATH or tcp://HOST[:PORT]");
        }
        return host;
    }

    /**
     * The reader {@code check} uses: the lean one for plain unix and tcp endpoints, docker-java
     * for TLS. {@code HOIST_CHECK_CLIENT=docker-java} forces docker-java (tests run both).
     */
    public static EngineReader reader(String host, Map<String, String> env) {
        if (!"docker-java".equals(env.get("HOIST_CHECK_CLIENT")) && LeanEngineReader.supports(host, env.get("DOCKER_TLS_VERIFY"))) {
            return new LeanEngineReader(host);
        }
        return engine(host);
    }

    /** The docker-java Engine; it negotiates the API version on its first request ({@link EngineApi#negotiate}). */
    public static Engine engine(String host) {
        return new DockerJavaEngine(apiVersion -> client(host, apiVersion), host);
    }

    /**
     * A docker-java client whose requests go to {@code /vAPI/...}, or with a null {@code apiVersion} to
     * unversioned paths (for {@code GET /version}). The version is always set here, so that neither
     * DOCKER_API_VERSION nor a docker-java.properties can pin one the Engine refuses.
     */
    static DockerClient client(String host, String apiVersion) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withDockerTlsVerify(false)
                .withApiVersion(apiVersion == null ? RemoteApiVersion.unknown() : RemoteApiVersion.parseConfig(apiVersion))
                .build();
        DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(CONNECT_TIMEOUT)
                .responseTimeout(RESPONSE_TIMEOUT)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }
}
