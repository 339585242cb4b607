package io.choria.hoist.docker;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;
import com.github.dockerjava.api.model.Volume;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.registry.Credentials;
import io.choria.hoist.registry.ImageName;
import io.choria.hoist.spec.ContainerOption;
import io.choria.hoist.spec.ContainerOptions;
import io.choria.hoist.spec.PortSpec;
import io.choria.hoist.spec.VolumeSpec;
import io.choria.hoist.startup.DockerHost;
import io.choria.hoist.startup.EngineHttp;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@link Engine} on docker-java: the one place that uses the docker-java client. */
public final class DockerJavaEngine implements Engine {
    private static final long PULL_TIMEOUT_MINUTES = 30;
    private static final long LOG_TIMEOUT_SECONDS = 5;
    private final Function<String, DockerClient> clients;
    private final String host;
    private DockerClient client;
    private EngineApi api;

    /** An Engine on this client as it is, with no API negotiation (for tests). */
    public DockerJavaEngine(DockerClient client, String host) {
        this.clients = null;
        this.client = client;
        this.host = host;
    }

    /**
     * An Engine that negotiates the API version on its first request: {@code clients} builds a
     * client for an API version, or for none (unversioned paths) when given null.
     */
    public DockerJavaEngine(Function<String, DockerClient> clients, String host) {
        this.clients = clients;
        this.host = host;
    }

    /** The client, built on first use for the API version the Engine's {@code GET /version} leads to. */
    private DockerClient client() {
        if (client == null) {
            DockerClient probe = clients.apply(null);
            try {
                Version v = call(() -> probe.versionCmd().exec());
                api = EngineApi.negotiate(EngineApi.engineName(v.getComponents() == null ? List.of()
                        : v.getComponents().stream().map(VersionComponent::getName).toList()),
                        v.getVersion(), v.getApiVersion(), v.getMinAPIVersion());
            } catch (DockerException e) {
                throw refused(e); // even a 404: an endpoint that has no /version is no Docker Engine
            } finally {
                closeQuietly(probe);
            }
            client = clients.apply(api.apiVersion());
        }
        return client;
    }

    @Override
    public Optional<EngineApi> api() {
        if (clients == null) {
            return Optional.empty();
        }
        client();
        return Optional.of(api);
    }

    @Override
    public Optional<ManagedContainer> find(String name) {
        List<Container> found = read(() -> client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.NAME, name)).exec());
        // During a replacement the new container, prepared as hoist_NAME-next, carries the labels
        // too: the one named hoist_NAME is the container, else the first.
        String canonical = "/" + io.choria.hoist.spec.ContainerSpec.containerName(name);
        List<Container> managed = found.stream()
                .filter(c -> c.getLabels() != null && "true".equals(c.getLabels().get(Labels.MANAGED)))
                .toList();
        return managed.stream()
                .filter(c -> c.getNames() != null && List.of(c.getNames()).contains(canonical))
                .findFirst()
                .or(() -> managed.stream().findFirst())
                .flatMap(c -> inspect(c.getId()));
    }

    @Override
    public List<ManagedContainer> listManaged() {
        List<Container> found = read(() -> client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.MANAGED, "true")).exec());
        List<ManagedContainer> out = new ArrayList<>();
        for (Container c : found) {
            inspect(c.getId()).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Optional<String> containerIdByDockerName(String dockerName) {
        List<Container> found = read(() -> client().listContainersCmd().withShowAll(true)
                .withNameFilter(List.of(dockerName)).exec());
        return found.stream()
                .filter(c -> c.getNames() != null && List.of(c.getNames()).contains("/" + dockerName))
                .map(Container::getId)
                .findFirst();
    }

    @Override
    public Optional<String> imageId(String ref) {
        try {
            return Optional.of(read(() -> client().inspectImageCmd(ref).exec().getId()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> repoDigests(String imageIdOrRef) {
        try {
            List<String> d = read(() -> client().inspectImageCmd(imageIdOrRef).exec().getRepoDigests());
            return d == null ? List.of() : d;
        } catch (NotFoundException e) {
            return List.of();
        }
    }

    @Override
    public void pull(String ref) {
        pull(ref, null);
    }

    /**
     * On Podman: the digests of its own image inspect ({@code GET /v4.0.0/libpod/images/ID/json}: {@code Digest},
     * the manifest it stored last, and every digest of {@code RepoDigests}, whatever the repository), which its
     * Docker API does not show for an image without a name in the repository. Empty on Docker, on a TLS
     * endpoint (the lean client speaks none) and when Podman does not answer.
     */
    @Override
    public List<String> manifestDigests(String imageId) {
        if (clients == null || !api().map(EngineApi::podman).orElse(false) || !DockerHost.lean(host, System.getenv("DOCKER_TLS_VERIFY"))) {
            return List.of();
        }
        try {
            EngineHttp.Response r = new EngineHttp(host).get("/v4.0.0/libpod/images/"
                    + URLEncoder.encode(imageId, StandardCharsets.UTF_8) + "/json");
            if (r.status() != 200) {
                return List.of();
            }
            JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
            LinkedHashSet<String> out = new LinkedHashSet<>();
            if (o.has("Digest") && o.get("Digest").isJsonPrimitive()) {
                out.add(o.get("Digest").getAsString());
            }
            if (o.has("RepoDigests") && o.get("RepoDigests").isJsonArray()) {
                for (var e : o.getAsJsonArray("RepoDigests")) {
                    String d = e.getAsString();
                    out.add(d.substring(d.indexOf('@') + 1));
                }
            }
            return out.stream().filter(d -> d.startsWith("sha256:")).toList();
        } catch (IOException | RuntimeException e) {
            return List.of(); // best effort: the rollback then goes back by tag
        }
    }

    @Override
    public List<LocalImage> images() {
        List<Image> found = read(() -> client().listImagesCmd().exec());
        List<LocalImage> out = new ArrayList<>();
        for (var i : found) {
            out.add(new LocalImage(i.getId(), i.getRepoTags() == null ? List.of() : List.of(i.getRepoTags()),
                    i.getRepoDigests() == null ? List.of() : List.of(i.getRepoDigests())));
        }
        return out;
    }

    @Override
    public Set<String> imageIdsInUse() {
        List<Container> found = read(() -> client().listContainersCmd().withShowAll(true).exec());
        Set<String> ids = new HashSet<>();
        for (Container c : found) {
            if (c.getImageId() != null) {
                ids.add(c.getImageId());
            }
        }
        return ids;
    }

    @Override
    public boolean removeImage(String ref) {
        try {
            run(() -> client().removeImageCmd(ref).withForce(false).withNoPrune(false).exec());
            return true;
        } catch (NotFoundException | ConflictException e) {
            return false;
        } catch (DockerException e) {
            throw refused(e);
        }
    }

    @Override
    public void pull(String ref, Credentials credentials) {
        int at = ref.indexOf('@');
        int colon = ref.lastIndexOf(':');
        String repo;
        String tag;
        if (at > 0) {
            repo = ref.substring(0, at);
            tag = ref.substring(at + 1);
        } else {
            repo = ref.substring(0, colon);
            tag = ref.substring(colon + 1);
        }
        try {
            boolean done = call(() -> {
                try {
                    var cmd = client().pullImageCmd(repo).withTag(tag);
                    if (credentials != null) {
                        cmd.withAuthConfig(new AuthConfig()
                                .withRegistryAddress(ImageName.of(repo).host())
                                .withUsername(credentials.username()).withPassword(credentials.password()));
                    }
                    return cmd.exec(new PullImageResultCallback())
                            .awaitCompletion(PULL_TIMEOUT_MINUTES, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            });
            if (!done) {
                throw new HoistException(ExitCode.IMAGE_UNAVAILABLE, "pulling " + ref + " did not finish in " + PULL_TIMEOUT_MINUTES + " minutes");
            }
        } catch (DockerUnreachableException e) {
            throw e;
        } catch (HoistException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new HoistException(ExitCode.IMAGE_UNAVAILABLE, "cannot pull " + ref + ": " + oneLine(e), e);
        }
        if (imageId(ref).isEmpty()) {
            throw new HoistException(ExitCode.IMAGE_UNAVAILABLE, "pulled " + ref + " but the Engine does not list it");
        }
    }

    /**
     * The log drivers of {@link io.choria.hoist.spec.SpecParser#LOG_DRIVERS} that Podman's Docker API takes
     * (Podman 4.3: json-file, which it runs as its k8s-file, journald and none); it refuses the others
     * with "invalid log driver: invalid argument", which names neither the driver nor the container.
     */
    public static final List<String> PODMAN_LOG_DRIVERS = List.of("json-file", "journald", "none");

    @Override
    public String create(ContainerPlan plan) {
        return create(plan, plan.dockerName());
    }

    @Override
    public Optional<String> createAs(ContainerPlan plan, String dockerName) {
        return Optional.of(create(plan, dockerName));
    }

    @Override
    public void rename(String id, String dockerName) {
        try {
            run(() -> client().renameContainerCmd(id).withName(dockerName).exec());
        } catch (com.github.dockerjava.api.exception.ConflictException e) {
            throw e; // the name is in use: a race the lifecycle settles
        } catch (DockerException e) {
            throw new HoistException(ExitCode.START_FAILED, "cannot rename container " + shortId(id) + " to " + dockerName + ": " + oneLine(e), e);
        }
    }

    private String create(ContainerPlan plan, String dockerName) {
        DockerClient c = client();
        if (api != null && api.podman() && plan.logDriver() != null && !PODMAN_LOG_DRIVERS.contains(plan.logDriver())) {
            throw new HoistException(ExitCode.START_FAILED, "cannot create " + plan.dockerName() + ": Podman has no log driver "
                    + plan.logDriver() + " (it has " + String.join(", ", PODMAN_LOG_DRIVERS) + "; syslog: true means log_driver syslog)");
        }
        CreateContainerCmd cmd = c.createContainerCmd(plan.imageRef());
        apply(plan, cmd);
        cmd.withName(dockerName);
        try {
            return call(() -> cmd.exec().getId());
        } catch (ConflictException e) {
            throw e; // the name is in use: a race the lifecycle settles
        } catch (DockerException e) {
            throw new HoistException(ExitCode.START_FAILED, "cannot create " + plan.dockerName() + ": " + oneLine(e), e);
        }
    }

    /** Maps a plan onto a create command, as docker run's flags would. */
    static void apply(ContainerPlan plan, CreateContainerCmd cmd) {
        HostConfig hc = HostConfig.newHostConfig()
                .withNetworkMode(plan.network())
                .withRestartPolicy(RestartPolicy.parse(plan.restartPolicy()));
        if (!plan.ports().isEmpty()) {
            Ports bindings = new Ports();
            List<ExposedPort> exposed = new ArrayList<>();
            for (PortSpec p : plan.ports()) {
                ExposedPort ep = new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
                exposed.add(ep);
                bindings.bind(ep, p.hostIp() == null
                        ? Ports.Binding.bindPort(p.hostPort())
                        : Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
            }
            hc.withPortBindings(bindings);
            cmd.withExposedPorts(exposed);
        }
        if (!plan.volumes().isEmpty()) {
            List<Bind> binds = new ArrayList<>();
            for (VolumeSpec v : plan.volumes()) {
                binds.add(new Bind(v.source(), new Volume(v.target()), v.readOnly() ? AccessMode.ro : AccessMode.rw));
            }
            hc.withBinds(binds);
        }
        if (plan.logDriver() != null || !plan.logOpts().isEmpty()) {
            LogConfig log = new LogConfig();
            if (plan.logDriver() != null) {
                log.setType(loggingType(plan.logDriver()));
            }
            hc.withLogConfig(log.setConfig(plan.logOpts().isEmpty() ? null : plan.logOpts()));
        }
        applyOptions(plan.options(), cmd, hc);
        cmd.withName(plan.dockerName())
                .withLabels(plan.labels())
                .withEnv(plan.environment())
                .withStopTimeout(plan.stopTimeout())
                .withHostConfig(hc);
        if (plan.command() != null) {
            cmd.withCmd(plan.command());
        }
        if (plan.entrypoint() != null) {
            cmd.withEntrypoint(plan.entrypoint());
        }
        if (plan.healthCommand() != null) {
            List<String> test = new ArrayList<>();
            test.add("CMD");
            test.addAll(plan.healthCommand());
            long ns = 1_000_000_000L;
            cmd.withHealthcheck(new HealthCheck().withTest(test)
                    .withInterval(ContainerPlan.HEALTH_INTERVAL_SECONDS * ns)
                    .withTimeout(ContainerPlan.HEALTH_TIMEOUT_SECONDS * ns)
                    .withRetries(ContainerPlan.HEALTH_RETRIES)
                    .withStartPeriod(plan.healthStartPeriodSeconds() * ns));
        }
    }

    /** docker-java's name for a log driver of {@link io.choria.hoist.spec.SpecParser#LOG_DRIVERS}. */
    static LogConfig.LoggingType loggingType(String driver) {
        for (LogConfig.LoggingType t : LogConfig.LoggingType.values()) {
            // DEFAULT is docker-java's second name of json-file
            if (t != LogConfig.LoggingType.DEFAULT && t.getType().equals(driver)) {
                return t;
            }
        }
        throw new IllegalArgumentException("docker-java has no log driver " + driver);
    }

    /** docker-java's JSON mapping of its model: what sets a HostConfig field by its Engine API name. */
    private static final ObjectMapper ENGINE_JSON = new ObjectMapper();

    /**
     * The container options, each only when set (an unset option is the Engine's default, never sent):
     * every row of {@link ContainerOption} but those the plan sends (labels, the log configuration) sets
     * its Engine API field, {@link ContainerOption#engine()}, to {@link ContainerOptions#engineValue}: a
     * {@code HostConfig} field through docker-java's own JSON names, a {@code Config} field by its setter.
     */
    static void applyOptions(ContainerOptions o, CreateContainerCmd cmd, HostConfig hc) {
        Map<String, Object> host = new LinkedHashMap<>();
        for (ContainerOption row : ContainerOption.values()) {
            Object v = o.engineValue(row);
            if (v == null || row.sentByPlan()) {
                continue;
            }
            String field = row.engine();
            if (field.startsWith(HOST_CONFIG)) {
                host.put(field.substring(HOST_CONFIG.length()), v);
                continue;
            }
            switch (field) {
                case "Config.User" -> cmd.withUser((String) v);
                case "Config.Hostname" -> cmd.withHostName((String) v);
                case "Config.WorkingDir" -> cmd.withWorkingDir((String) v);
                case "Config.StopSignal" -> cmd.withStopSignal((String) v);
                default -> throw new IllegalStateException("ContainerOption " + row.key() + ": no Engine field " + field);
            }
        }
        if (!host.isEmpty()) {
            try {
                ENGINE_JSON.updateValue(hc, host);
            } catch (JsonMappingException e) {
                throw new IllegalStateException("docker-java's HostConfig takes no " + host.keySet() + ": " + e.getMessage(), e);
            }
        }
    }

    private static final String HOST_CONFIG = "HostConfig.";

    @Override
    public void start(String id) {
        try {
            run(() -> client().startContainerCmd(id).exec());
        } catch (NotModifiedException e) {
            // already running
        } catch (DockerException e) {
            throw new HoistException(ExitCode.START_FAILED, "cannot start container " + shortId(id) + ": " + oneLine(e), e);
        }
    }

    @Override
    public void stop(String id, int timeoutSeconds) {
        try {
            run(() -> client().stopContainerCmd(id).withTimeout(timeoutSeconds).exec());
        } catch (NotModifiedException | NotFoundException e) {
            // already stopped or gone
        } catch (ConflictException e) {
            throw e; // being removed by someone else: a race the lifecycle settles
        } catch (DockerException e) {
            throw refused(e);
        }
    }

    @Override
    public void remove(String id) {
        try {
            run(() -> client().removeContainerCmd(id).withForce(true).exec());
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            throw e; // a removal already in progress: a race the lifecycle settles
        } catch (DockerException e) {
            throw refused(e);
        }
    }

    @Override
    public Optional<ManagedContainer> inspect(String id) {
        InspectContainerResponse r;
        try {
            r = read(() -> client().inspectContainerCmd(id).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        Map<String, String> labels = r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels();
        var state = r.getState();
        String health = state.getHealth() == null ? "none" : state.getHealth().getStatus();
        String[] env = r.getConfig().getEnv();
        return Optional.of(new ManagedContainer(r.getId(), labels.get(Labels.NAME), state.getStatus(), r.getImageId(),
                labels.get(Labels.IMAGE), labels.get(Labels.SPEC_HASH), health, state.getStartedAt(),
                r.getRestartCount() == null ? 0 : r.getRestartCount(),
                env == null ? List.of() : List.of(env), labels));
    }

    @Override
    public LastOutput lastOutput(String id, int lines) {
        Long exit = lastExitCode(id);
        List<String> frames = Collections.synchronizedList(new ArrayList<>());
        try {
            client().logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(lines)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            frames.add(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(LOG_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // a log driver docker logs cannot read (syslog), or the container is gone
        }
        List<String> out = new ArrayList<>();
        synchronized (frames) {
            // A frame may hold several lines, or part of one.
            for (String line : String.join("", frames).split("\\r?\\n")) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
        }
        return new LastOutput(out.size() > lines ? out.subList(out.size() - lines, out.size()) : out, exit);
    }

    /** How long {@link #lastExitCode} waits for a crash-looping container to be down again. */
    static final long EXIT_CODE_WAIT_MILLIS = 2000;

    /**
     * The exit code of the container's last run, or null when it is running now. Docker resets
     * the exit code to 0 when it starts a container again, so a code read while a crash-looping
     * container is briefly up would be a false 0: while it is up after restarts, this waits (at
     * most {@link #EXIT_CODE_WAIT_MILLIS}) for it to be down again, and reads the code from that
     * same inspect.
     */
    private Long lastExitCode(String id) {
        long deadline = System.nanoTime() + EXIT_CODE_WAIT_MILLIS * 1_000_000;
        try {
            while (true) {
                InspectContainerResponse r = call(() -> client().inspectContainerCmd(id).exec());
                InspectContainerResponse.ContainerState st = r.getState();
                boolean up = Boolean.TRUE.equals(st.getRunning()) && !Boolean.TRUE.equals(st.getRestarting());
                if (!up) {
                    return st.getExitCodeLong();
                }
                Integer restarts = r.getRestartCount();
                if (restarts == null || restarts == 0 || System.nanoTime() >= deadline) {
                    return null;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            return null; // best effort: the output may still be there
        }
    }

    @Override
    public void close() {
        if (client != null) {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(DockerClient c) {
        try {
            c.close();
        } catch (IOException e) {
            // nothing to do on the way out
        }
    }

    /** Runs a client call, turning connection failures into {@link DockerUnreachableException}. */
    private <T> T call(Supplier<T> s) {
        try {
            return s.get();
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            if (DockerUnreachableException.isConnectionFailure(e)) {
                throw new DockerUnreachableException(host, e);
            }
            throw e;
        }
    }

    /**
     * A read: a missing object stays {@link NotFoundException} for the caller; any other answer
     * that is not a result (a 500, a 409 while the daemon restarts) is the Engine failing, exit 3,
     * as {@link LeanEngineReader} reports it.
     */
    private <T> T read(Supplier<T> s) {
        try {
            return call(s);
        } catch (NotFoundException e) {
            throw e;
        } catch (DockerException e) {
            throw refused(e);
        }
    }

    static HoistException refused(DockerException e) {
        return new HoistException(ExitCode.DOCKER_UNREACHABLE, "the Docker Engine answered " + e.getHttpStatus() + ": " + oneLine(e), e);
    }

    private void run(Runnable r) {
        call(() -> {
            r.run();
            return null;
        });
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // docker-java puts the Engine's JSON error body in the message: keep its text, on one line.
        m = m.replaceAll("\\s+", " ").trim();
        int i = m.indexOf("{\"message\":\"");
        if (i >= 0) {
            int end = m.indexOf("\"}", i);
            m = end > i ? m.substring(i + 12, end) : m;
        }
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
