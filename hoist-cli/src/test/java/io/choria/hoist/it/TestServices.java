package io.choria.hoist.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The real services the harness (harness/test.sh) starts for integration tests, and ways to
 * run the real hoist-cli jar and the docker CLI against them. A missing service fails the
 * test: these tests are never skipped.
 */
public final class TestServices {
    private TestServices() {
    }

    public static String required(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the integration tests through harness/test.sh");
        }
        return v;
    }

    public static String dockerHost() {
        return required("HOIST_TEST_DOCKER_HOST");
    }

    /** The engine the harness runs the tests on: HOIST_TEST_ENGINE (20.10, 26, 26c, podman), 20.10 when unset. */
    public static String engine() {
        String e = System.getenv("HOIST_TEST_ENGINE");
        return e == null || e.isBlank() ? "20.10" : e;
    }

    /** The ulimits a spec needs on this test machine's Podman, without the braces: see {@link #machineKeys()}. */
    public static final String PODMAN_ULIMITS = "\"nofile=1024:1024\", \"nproc=4096:4096\"";

    /**
     * Keys (each followed by a comma) every test spec starts with on this engine: none on Docker. On
     * Podman, {@code ulimits}: Podman gives a container as root RLIMIT_NOFILE 1048576 and RLIMIT_NPROC
     * 4194304 unless told otherwise, and this test machine's hard limits are lower (nofile 20000, no
     * CAP_SYS_RESOURCE to raise them), so runc fails with "error setting rlimit type 7: operation not
     * permitted". A property of this machine, not of Podman: on a host whose root may raise its limits,
     * specs need no ulimits.
     */
    public static String machineKeys() {
        return "podman".equals(engine()) ? "\"ulimits\": [" + PODMAN_ULIMITS + "], " : "";
    }

    /** The {@code docker run} flags of {@link #machineKeys()}: none on Docker, the ulimits on Podman. */
    public static List<String> machineRunFlags() {
        return "podman".equals(engine()) ? List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096") : List.of();
    }

    public static String registry() {
        return required("HOIST_TEST_REGISTRY");
    }

    public static Path jar() {
        return failsafePath("hoist.jar");
    }

    /** A path maven-failsafe passes as a system property (hoist-cli/pom.xml). */
    private static Path failsafePath(String property) {
        String p = System.getProperty(property);
        if (p == null) {
            throw new IllegalStateException("system property " + property + " is not set (maven-failsafe sets it)");
        }
        return Path.of(p);
    }

    /** The result of running a process. */
    public record Result(int exitCode, String out, String err) {
        public List<String> errLines() {
            return err.lines().toList();
        }
    }

    /**
     * Runs a command to its end. {@code timeoutSeconds} is not a speed assertion but a guard: a process
     * that hangs fails its test with the command line instead of hanging the build.
     */
    public static Result exec(Path cwd, Map<String, String> env, List<String> command, int timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().putAll(env);
            if (cwd != null) {
                pb.directory(cwd.toFile());
            }
            Process p = pb.start();
            p.getOutputStream().close();
            var out = readAsync(p.getInputStream());
            var err = readAsync(p.getErrorStream());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + "s: " + command);
            }
            return new Result(p.exitValue(), out.get(), err.get());
        } catch (IOException | InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot run " + command, e);
        }
    }

    private static java.util.concurrent.CompletableFuture<String> readAsync(InputStream in) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }

    /** The launcher a node runs hoist-cli with (files/hoist-cli): maven-failsafe sets hoist.launcher. */
    public static Path launcher() {
        return failsafePath("hoist.launcher");
    }

    /**
     * Runs the shaded hoist-cli jar as a node does, through the launcher (files/hoist-cli), with an
     * environment as bare as a Choria exec watcher's: the launcher's JVM settings, and the class-data
     * archives it records beside the jar on the first run of each kind and maps on every later one
     * (they halve a start's CPU: bench/README.md). It reads no node settings file (HOIST_SETTINGS
     * /dev/null), and runs this JVM's java on the jar under test, unless the test's environment says
     * otherwise.
     */
    public static Result hoist(Path cwd, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(launcher().toString()));
        cmd.addAll(List.of(args));
        Map<String, String> launcherEnv = new HashMap<>(env);
        launcherEnv.putIfAbsent("HOIST_SETTINGS", "/dev/null");
        launcherEnv.putIfAbsent("HOIST_CLI_JAR", jar().toString());
        launcherEnv.putIfAbsent("HOIST_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Guard, not a bound on speed: the longest runs a test asks for are a start that waits out a
        // start_timeout of 4 s (HealthIT) and one that pulls an image, fails its gate and rolls back (FleetKvIT,
        // HealthIT), each roughly 10 s from the tests' times; 180 s also cover a cold, loaded 2-core machine and
        // a healthy start's default start_timeout (60 s), and only a hung hoist-cli reaches them.
        return exec(cwd, launcherEnv, cmd, 180);
    }

    /** Runs the docker CLI against the harness's dockerd. */
    public static Result docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker", "--host", dockerHost()));
        cmd.addAll(List.of(args));
        // Guard, not a bound on speed: the tests' docker calls are ps, inspect, exec, stop -t 1, rm -f, rmi and a
        // run of an image already present, each a second or so; only a hung dockerd reaches 120 s.
        return exec(null, Map.of(), cmd, 120);
    }

    /** Removes every container Hoist labelled with one of these names (a test's clean-up). */
    public static void removeHoistContainers(Iterable<String> names) {
        for (String n : names) {
            for (String id : docker("ps", "-aq", "--filter", "label=io.choria.hoist.name=" + n).out().split("\\s+")) {
                if (!id.isBlank()) {
                    docker("rm", "-f", id);
                }
            }
        }
    }

    /** A manifest in the registry: its digest, its size in bytes and its media type. */
    public record Manifest(String digest, long size, String mediaType) {
    }

    static final String MANIFEST_V2 = "application/vnd.docker.distribution.manifest.v2+json";
    static final String MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /** The manifest REPOSITORY:TAG (REPOSITORY without the registry) points to in the harness's registry. */
    public static Manifest registryManifest(String repository, String tag) {
        HttpResponse<byte[]> r = registry("GET", repository, tag, null, null);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET manifest " + repository + ":" + tag + " answered " + r.statusCode());
        }
        String digest = r.headers().firstValue("Docker-Content-Digest").orElseThrow();
        return new Manifest(digest, r.body().length, r.headers().firstValue("Content-Type").orElse(""));
    }

    /**
     * Makes REPOSITORY:TAG a multi-platform image: an image index (a manifest list) with one entry, the
     * manifest {@code image} (already in REPOSITORY) for OS/ARCH. Returns the index's digest.
     */
    public static String putImageIndex(String repository, String tag, Manifest image, String os, String arch) {
        String list = "{\"schemaVersion\": 2, \"mediaType\": \"" + MANIFEST_LIST + "\", \"manifests\": [{\"mediaType\": \""
                + image.mediaType() + "\", \"size\": " + image.size() + ", \"digest\": \"" + image.digest()
                + "\", \"platform\": {\"architecture\": \"" + arch + "\", \"os\": \"" + os + "\"}}]}";
        HttpResponse<byte[]> r = registry("PUT", repository, tag, MANIFEST_LIST, list);
        if (r.statusCode() != 201) {
            throw new AssertionError("PUT image index " + repository + ":" + tag + " answered " + r.statusCode() + ": "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static HttpResponse<byte[]> registry(String method, String repository, String tag, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + registry() + "/v2/" + repository + "/manifests/" + tag))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", String.join(", ", MANIFEST_V2, MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the registry at " + registry(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Podman's own inspect of a container (its libpod API on the same socket, {@code GET /v4.0.0/libpod/containers/NAME/json}),
     * for what its Docker-compatible inspect leaves out. Only on the podman engine.
     */
    public static com.google.gson.JsonObject libpodInspect(String container) {
        String host = dockerHost();
        if (!host.startsWith("unix://") || !"podman".equals(engine())) {
            throw new IllegalStateException("libpodInspect needs the podman engine on a unix socket, not " + engine() + " at " + host);
        }
        Result r = exec(null, Map.of(), List.of("curl", "-fsS", "--unix-socket", host.substring("unix://".length()),
                "http://podman/v4.0.0/libpod/containers/" + container + "/json"), 30);
        if (r.exitCode() != 0) {
            throw new AssertionError("libpod inspect " + container + " failed (exit " + r.exitCode() + "): " + r.err());
        }
        return com.google.gson.JsonParser.parseString(r.out()).getAsJsonObject();
    }

    public static String dockerOk(String... args) {
        Result r = docker(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed (exit " + r.exitCode() + "): " + r.err() + r.out());
        }
        return r.out().trim();
    }

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A loopback port nothing listens on now, never the same twice in this JVM: two containers of one
     * test cannot be handed the same port because the kernel gave it back twice.
     */
    public static int freePort() {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A loopback port held for as long as the socket is open, with nothing listening on it: connecting
     * is refused. Unlike a port from {@link #freePort()}, no other process can start listening on it meanwhile.
     */
    public static Socket refusedPort() {
        try {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            HANDED_OUT.add(s.getLocalPort());
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Eventually: GET http://127.0.0.1:PORT/ answers 200; the body, or null when it did not within the
     * given time. Tries at least once, then every 100 ms; each try may take up to 1 s to connect and 2 s
     * in all, so a slow answer is retried rather than failed, and the last try may end up to 2 s after
     * {@code within}. Callers that expect null use it as "consistently not" and say why their window suffices.
     */
    public static String httpGet(int port, Duration within) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + within.toNanos();
        do {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body().trim();
                }
            } catch (IOException e) {
                // not serving yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        } while (System.nanoTime() < deadline);
        return null;
    }
}
