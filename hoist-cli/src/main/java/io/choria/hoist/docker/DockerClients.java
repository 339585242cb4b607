package io.choria.hoist.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.time.Duration;

/** Builds docker-java's clients; nothing else constructs one ({@link Engines} chooses when). */
public final class DockerClients {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(30);

    private DockerClients() {
    }

    /** The docker-java Engine; it negotiates the API version on its first request ({@link EngineApi#negotiate}). */
    static Engine engine(String host) {
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
