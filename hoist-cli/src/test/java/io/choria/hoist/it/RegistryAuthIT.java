package io.choria.hoist.it;

import static io.choria.hoist.it.TestServices.docker;
import static io.choria.hoist.it.TestServices.dockerOk;
import static io.choria.hoist.it.TestServices.exec;
import static io.choria.hoist.it.TestServices.hoist;
import static io.choria.hoist.it.TestServices.httpGet;
import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.ExitCode;
import io.choria.hoist.it.TestServices.Result;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private registry: Debian's docker-registry with htpasswd basic auth, served with TLS from a
 * throwaway CA that openssl makes here, on 127.0.0.1 only. What this machine's dockerd accepts
 * (checked by hand and by these tests): 127.0.0.0/8 is in dockerd's default insecure registries,
 * so it speaks HTTPS to such a registry without verifying the certificate (no certs.d needed) and
 * falls back to plain HTTP; basic auth over that TLS works. hoist-cli's own registry requests
 * (digests, and why a pull failed) do the same for loopback registries.
 *
 * <p>The registry holds {@code hoist/private:v1}, {@code :v2} (the harness's web v1 and v2) and
 * {@code :latest}, pushed with {@code docker login} into a config folder of this test.
 */
class RegistryAuthIT {
    static final String USER = "hoist";
    /** Grepped for in every output and file: it must never appear. */
    static final String PASSWORD = "s3cret-Reg1stry-pw";
    /** Eventually: the container serves (see LifecycleIT.SERVE). */
    static final Duration SERVE = Duration.ofSeconds(10);

    static Path dir;
    static Process registryProcess;
    static String registry;
    static Path dockerConfig;

    @TempDir Path tmp;
    Path store;
    Map<String, String> env;
    final List<String> names = new ArrayList<>();
    /** Every hoist-cli output of a test, grepped for the password at its end. */
    final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void startRegistry() throws Exception {
        dir = Files.createTempDirectory("hoist-authreg");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hoist test CA",
                "-keyout", dir.resolve("ca.key").toString(), "-out", dir.resolve("ca.crt").toString());
        run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.csr").toString());
        Files.writeString(dir.resolve("ext"), "subjectAltName=IP:127.0.0.1\n");
        run("openssl", "x509", "-req", "-in", dir.resolve("server.csr").toString(), "-CA", dir.resolve("ca.crt").toString(),
                "-CAkey", dir.resolve("ca.key").toString(), "-CAcreateserial", "-days", "1", "-extfile", dir.resolve("ext").toString(),
                "-out", dir.resolve("server.crt").toString());
        Files.writeString(dir.resolve("htpasswd"), run("htpasswd", "-Bbn", USER, PASSWORD).out());
        int port = TestServices.freePort();
        registry = "127.0.0.1:" + port;
        Files.writeString(dir.resolve("config.yml"), String.join("\n",
                "version: 0.1",
                "log:",
                "  level: warn",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + dir.resolve("data"),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: " + registry,
                "  tls:",
                "    certificate: " + dir.resolve("server.crt"),
                "    key: " + dir.resolve("server.key"),
                "auth:",
                "  htpasswd:",
                "    realm: hoist-test",
                "    path: " + dir.resolve("htpasswd"),
                ""));
        registryProcess = new ProcessBuilder("docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        // Eventually: the registry answers /v2/ (401 without credentials), well under a second here; 30 s
        // cover a loaded machine.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (status("/v2/", null) != 401) {
            assertThat(System.nanoTime()).as("the registry answers at " + registry).isLessThan(deadline);
            Thread.sleep(100);
        }
        dockerConfig = Files.createDirectories(dir.resolve("docker-config"));
        if ("podman".equals(TestServices.engine())) {
            // Podman 4.3's Docker API checks a login's TLS certificate even for a registry its registries.conf
            // marks insecure (only localhost is spared): the docker CLI's credentials are written as login
            // would write them, and push sends them (X-Registry-Auth), as hoist-cli does with every pull.
            Path config = dockerConfig.resolve("config.json");
            Files.writeString(config, "{\"auths\": {\"" + registry + "\": {\"auth\": \""
                    + java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    + "\"}}}");
            Files.setPosixFilePermissions(config, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } else {
            run("sh", "-c", "printf %s \"$PW\" | docker --host \"$DH\" --config \"$DC\" login -u " + USER + " --password-stdin " + registry);
        }
        push("v1", "v1");
        push("v2", "v2");
        push("v1", "latest");
    }

    /**
     * The harness's hoist/web:FROM as hoist/private:TO in the private registry. The local tag
     * hoist/private:TO is left as it was (a node does not see the push).
     */
    static void push(String from, String to) {
        String source = TestServices.registry() + "/hoist/web:" + from;
        boolean had = docker("image", "inspect", source).exitCode() == 0;
        Result before = docker("image", "inspect", "-f", "{{.Id}}", registry + "/hoist/private:" + to);
        dockerOk("pull", "-q", source);
        dockerOk("tag", source, registry + "/hoist/private:" + to);
        Result r = TestServices.exec(null, Map.of(), List.of("docker", "--host", TestServices.dockerHost(), "--config",
                dockerConfig.toString(), "push", "-q", registry + "/hoist/private:" + to), 120);
        assertThat(r.exitCode()).as("push: " + r.err()).isZero();
        dockerOk("rmi", registry + "/hoist/private:" + to);
        if (before.exitCode() == 0) {
            dockerOk("tag", before.out().trim(), registry + "/hoist/private:" + to);
        }
        if (!had) {
            docker("rmi", source);
        }
    }

    static Result run(String... cmd) {
        Map<String, String> e = new HashMap<>();
        e.put("PW", PASSWORD);
        e.put("DH", TestServices.dockerHost());
        e.put("DC", dockerConfig == null ? "" : dockerConfig.toString());
        Result r = exec(null, e, List.of(cmd), 120);
        assertThat(r.exitCode()).as(String.join(" ", cmd) + ": " + r.err()).isZero();
        return r;
    }

    /** The status of an HTTPS request to the registry, verified with the test's CA (null: no credentials). */
    static int status(String path, String authorization) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://" + registry + path)).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/vnd.docker.distribution.manifest.v2+json");
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            return client().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static HttpClient client() {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (var in = Files.newInputStream(dir.resolve("ca.crt"))) {
                ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(ctx).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digest hoist/private:TAG points to, asked as a client with the credentials. */
    static String registryDigest(String tag) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("https://" + registry + "/v2/hoist/private/manifests/" + tag))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                // What hoist-cli accepts: Docker 20.10 pushes Docker's manifests, Docker 26's containerd store
                // and Podman OCI ones, and the registry serves each only to a client that accepts it
                .header("Accept", String.join(", ", TestServices.MANIFEST_V2, TestServices.MANIFEST_LIST,
                        TestServices.OCI_MANIFEST, TestServices.OCI_INDEX))
                .header("Authorization", "Basic " + base64(USER + ":" + PASSWORD)).build();
        return client().send(r, HttpResponse.BodyHandlers.discarding()).headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registryProcess != null) {
            registryProcess.destroy();
            registryProcess.waitFor();
        }
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        // MACHINE_NAME as under Choria: stderr also goes to hoist.log in the machine folder, which is grepped too.
        env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost(), "HOIST_REGISTRY_AUTH", tmp.resolve("auth.json").toString(),
                "MACHINE_NAME", "hoist_privweb"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        TestServices.removeHoistContainers(names);
        for (String tag : List.of("v1", "v2", "latest")) {
            docker("rmi", registry + "/hoist/private:" + tag);
        }
        // Never printed, never written: not in any output, nor in any file of the machine folders.
        for (String o : outputs) {
            assertThat(o).doesNotContain(PASSWORD).doesNotContain(base64(USER + ":" + PASSWORD));
        }
        try (Stream<Path> s = Files.walk(store)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(p)).as(p.toString()).doesNotContain(PASSWORD);
            }
        }
    }

    static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    void authFile(String password, String mode) throws IOException {
        Path f = tmp.resolve("auth.json");
        Files.writeString(f, "{\"auths\": {\"" + registry + "\": {\"auth\": \"" + base64(USER + ":" + password) + "\"}}}");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
    }

    Path spec(String name, int port, String tag, String extra) throws IOException {
        names.add(name);
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{" + TestServices.machineKeys() + "\"name\": \"" + name + "\", \"image\": \"" + registry + "/hoist/private\","
                + " \"image_tag\": \"" + tag + "\", \"network\": \"host\", \"stop_timeout\": 1,"
                + " \"command\": [\"httpd\", \"-f\", \"-p\", \"127.0.0.1:" + port + "\", \"-h\", \"/www\"]" + extra + "}");
        return folder;
    }

    Result cli(Path cwd, String... args) {
        Result r = hoist(cwd, env, args);
        outputs.add(r.out() + r.err());
        return r;
    }

    @Test
    void without_credentials_a_pull_fails_with_exit_4_naming_the_registry_and_with_them_it_works() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("privweb", port, "v1", "");
        Result none = cli(folder, "start", "privweb");
        assertThat(none.exitCode()).as(none.err()).isEqualTo(ExitCode.IMAGE_UNAVAILABLE);
        assertThat(none.errLines()).hasSize(1);
        assertThat(Files.readString(folder.resolve("hoist.log"))).contains("requires credentials");
        assertThat(none.err()).contains("registry " + registry + " requires credentials")
                .contains(tmp.resolve("auth.json") + " does not exist");
        assertThat(docker("ps", "-aq", "--filter", "label=io.choria.hoist.name=privweb").out()).isBlank();

        authFile(PASSWORD, "rw-------");
        Result ok = cli(folder, "start", "privweb");
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        // The container carries no credentials either.
        assertThat(dockerOk("inspect", "hoist_privweb")).doesNotContain(PASSWORD);
    }

    @Test
    void a_wrong_password_fails_with_exit_4_and_leaves_the_running_container_serving() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("privweb", port, "v1", "");
        authFile(PASSWORD, "rw-------");
        assertThat(cli(folder, "start", "privweb").exitCode()).isZero();
        String id = dockerOk("ps", "-q", "--no-trunc", "--filter", "label=io.choria.hoist.name=privweb");

        authFile("wrong-" + PASSWORD.substring(3), "rw-------");
        spec("privweb", port, "v2", "");
        Result wrong = cli(folder, "start", "privweb");
        assertThat(wrong.exitCode()).as(wrong.err()).isEqualTo(ExitCode.IMAGE_UNAVAILABLE);
        assertThat(wrong.err()).contains("registry " + registry + " refused the credentials for it in " + tmp.resolve("auth.json"));
        assertThat(wrong.err()).doesNotContain("wrong-");
        Result update = cli(folder, "update", "privweb");
        assertThat(update.exitCode()).isEqualTo(ExitCode.IMAGE_UNAVAILABLE);
        assertThat(dockerOk("ps", "-q", "--no-trunc", "--filter", "label=io.choria.hoist.name=privweb")).isEqualTo(id);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
    }

    @Test
    void a_credentials_file_every_user_may_read_is_refused_with_exit_2_and_nothing_changes() throws IOException {
        int port = TestServices.freePort();
        Path folder = spec("privweb", port, "v1", "");
        authFile(PASSWORD, "rw-r--r--");
        Result r = cli(folder, "start", "privweb");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(r.err()).contains("registry auth file " + tmp.resolve("auth.json") + " is readable by every user (mode 0644)");
        assertThat(docker("ps", "-aq", "--filter", "label=io.choria.hoist.name=privweb").out()).isBlank();
    }

    /**
     * Digest-following: {@code latest} moves in the registry; update --dry-run says so without
     * pulling, poll with min_image_age waits, poll without pulls and exits 1 (the machine then
     * remediates), and start --if-needed rolls the container onto the new digest.
     */
    /**
     * image_poll, and the default start_timeout (60 s): the broken release (v3) exits at once, which
     * fails the gate at its first look, so a short start_timeout would only risk failing a healthy
     * start on a loaded machine (which then rolls back and exits 0, as the broken one does).
     */
    static final String POLLED = ", \"image_poll\": \"10s\"";

    @Test
    void poll_follows_a_moving_tag_and_dry_run_says_what_would_change() throws Exception {
        int port = TestServices.freePort();
        authFile(PASSWORD, "rw-------");
        Path folder = spec("privweb", port, "latest", POLLED);
        assertThat(cli(folder, "start", "privweb").exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v1");
        String v1 = registryDigest("latest");
        Result current = cli(folder, "poll", "privweb");
        assertThat(current.exitCode()).as(current.err()).isZero();
        assertThat(current.out()).contains("is current (" + v1 + ")");

        push("v2", "latest");
        String v2 = registryDigest("latest");
        assertThat(v2).isNotEqualTo(v1);
        Result dry = cli(folder, "update", "privweb", "--dry-run");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("running:  " + v1).contains("local:    " + v1).contains("registry: " + v2)
                .contains("would pull " + registry + "/hoist/private:latest");
        assertThat(docker("image", "inspect", registry + "/hoist/private@" + v2).exitCode()).as("dry run pulled nothing").isNotZero();

        spec("privweb", port, "latest", POLLED + ", \"min_image_age\": \"1h\"");
        Result young = cli(folder, "poll", "privweb");
        assertThat(young.exitCode()).as(young.err()).isZero();
        assertThat(young.out()).contains("has a new digest " + v2).contains("taken after min_image_age (3600s)");
        assertThat(docker("image", "inspect", registry + "/hoist/private@" + v2).exitCode()).isNotZero();

        spec("privweb", port, "latest", POLLED);
        Result pulled = cli(folder, "poll", "privweb");
        assertThat(pulled.exitCode()).as(pulled.err()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(pulled.out()).contains("pulled " + registry + "/hoist/private:latest (" + v2 + ")");
        assertThat(cli(folder, "check", "privweb").exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        assertThat(cli(folder, "start", "--if-needed", "privweb").exitCode()).isZero();
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");
        Result after = cli(folder, "poll", "privweb");
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(after.out()).contains("is current (" + v2 + ")");

        // A broken release pushed to the same tag: the start that tries it rolls back to the last
        // good image by its digest, which stays until the desired tag changes.
        push("v3", "latest");
        assertThat(cli(folder, "poll", "privweb").exitCode()).isEqualTo(ExitCode.NOT_RUNNING);
        Result broken = cli(folder, "start", "--if-needed", "privweb");
        assertThat(broken.exitCode()).as(broken.err()).isZero();
        assertThat(broken.err()).contains("rolling back to " + registry + "/hoist/private@" + v2);
        assertThat(httpGet(port, SERVE)).isEqualTo("hoist-web v2");
        assertThat(cli(folder, "check", "privweb").exitCode()).isZero();
        Result pinned = cli(folder, "poll", "privweb");
        assertThat(pinned.exitCode()).as(pinned.err()).isZero();
        assertThat(pinned.out()).contains("is pinned by digest");
        push("v1", "latest"); // as the other tests expect it
    }
}
