package io.choria.hoist.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.ExitCode;
import io.choria.hoist.it.TestServices;
import io.choria.hoist.it.TestServices.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hoist-cli tag over TLS, as a production Choria broker demands it. The test makes throwaway CAs
 * and certificates with openssl, RSA and EC (P-256, the key in SEC1 as {@code openssl ecparam} writes
 * it, and in PKCS#8), and starts its own nats-servers with JetStream and TLS that verify client
 * certificates: one with an RSA CA, one whose CA, certificate and clients are all EC. A third
 * broker's certificate names only "localhost", to show the host name is checked. nats-server and
 * openssl must be installed: the tests fail, not skip, without them.
 */
class KvTlsIT {
    @TempDir static Path dir;
    static Path pki;
    static final List<Process> brokers = new ArrayList<>();
    static int port;
    static int localhostOnlyPort;
    static int ecPort;

    @BeforeAll
    static void brokers() throws Exception {
        pki = Files.createDirectories(dir.resolve("pki"));
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Hoist Test CA");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=Other CA");
        certificate("server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        certificate("localhost-only", "/CN=localhost", "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n");
        certificate("client", "/CN=ops.mcollective", "subjectAltName=DNS:ops.mcollective\nextendedKeyUsage=clientAuth\n");
        // The same client key in PKCS#1 (BEGIN RSA PRIVATE KEY), as Puppet and older openssl write keys.
        openssl("rsa", "-in", "client.key", "-traditional", "-out", "client-rsa.key");
        assertThat(Files.readString(pki.resolve("client-rsa.key"))).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(pki.resolve("client.key"))).startsWith("-----BEGIN PRIVATE KEY-----");

        // An EC PKI: CA, broker and client keys on P-256. The client key as `openssl ecparam -genkey` writes it
        // (EC PARAMETERS, then the SEC1 key), the same key in PKCS#8, and encrypted.
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec-ca.key",
                "-out", "ec-ca.pem", "-days", "2", "-subj", "/CN=Hoist Test EC CA");
        ecCertificate("ec-server", "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        ecCertificate("ec-client", "/CN=ops.mcollective", "subjectAltName=DNS:ops.mcollective\nextendedKeyUsage=clientAuth\n");
        assertThat(Files.readString(pki.resolve("ec-client.key")))
                .startsWith("-----BEGIN EC PARAMETERS-----").contains("-----BEGIN EC PRIVATE KEY-----");
        openssl("pkey", "-in", "ec-client.key", "-out", "ec-client.p8");
        assertThat(Files.readString(pki.resolve("ec-client.p8"))).startsWith("-----BEGIN PRIVATE KEY-----");
        openssl("pkey", "-in", "ec-client.key", "-aes256", "-passout", "pass:hoist", "-out", "ec-client-encrypted.key");
        assertThat(Files.readString(pki.resolve("ec-client-encrypted.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        port = TestServices.freePort();
        start("tls", port, "server", "ca.pem");
        localhostOnlyPort = TestServices.freePort();
        start("localhost-only", localhostOnlyPort, "localhost-only", "ca.pem");
        ecPort = TestServices.freePort();
        start("ec", ecPort, "ec-server", "ec-ca.pem");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        for (Process p : brokers) {
            p.destroy();
            // Cleanup, not an assertion: SIGTERM, and SIGKILL if the broker has not exited 10 s later.
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Result r = TestServices.exec(pki, Map.of(), cmd, 60);
        if (r.exitCode() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + r.err());
        }
    }

    static void certificate(String name, String subject, String extensions) throws IOException {
        Files.writeString(pki.resolve(name + ".ext"), extensions);
        openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-out", name + ".pem", "-extfile", name + ".ext");
    }

    /** An EC P-256 key written by `openssl ecparam -genkey` (SEC1) and its certificate, signed by the EC CA. */
    static void ecCertificate(String name, String subject, String extensions) throws IOException {
        Files.writeString(pki.resolve(name + ".ext"), extensions);
        openssl("ecparam", "-genkey", "-name", "prime256v1", "-out", name + ".key");
        openssl("req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", subject);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ec-ca.pem", "-CAkey", "ec-ca.key", "-CAcreateserial", "-days", "2",
                "-out", name + ".pem", "-extfile", name + ".ext");
    }

    static void start(String name, int listen, String cert, String ca) throws Exception {
        Path conf = dir.resolve(name + ".conf");
        Files.writeString(conf, String.join("\n",
                "listen: \"127.0.0.1:" + listen + "\"",
                "jetstream { store_dir: \"" + dir.resolve(name + "-js") + "\" }",
                "tls {",
                "  cert_file: \"" + pki.resolve(cert + ".pem") + "\"",
                "  key_file: \"" + pki.resolve(cert + ".key") + "\"",
                "  ca_file: \"" + pki.resolve(ca) + "\"",
                "  verify: true",
                // The server's TLS handshake timeout (this test set 2 s until now): the handshake of a cold
                // hoist-cli JVM is its first use of JSSE, and on a loaded 2-core machine that alone can come near
                // 2 s. 10 s is far above it; no test waits for this timeout (a client without a certificate
                // gives up after its own 3 s connect timeout first).
                "  timeout: 10",
                "}",
                ""));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder("nats-server", "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        brokers.add(p);
        // Eventually: nats-server logs "Server is ready" and accepts a TCP connection (measured: well under
        // 1 s); 30 s cover creating the JetStream store on a loaded 2-core machine. It fails at once if the
        // server exits, with its log.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new AssertionError("nats-server " + name + " exited: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (Files.readString(log, StandardCharsets.UTF_8).contains("Server is ready")) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listen)) {
                    return;
                } catch (IOException e) {
                    // not yet
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nats-server " + name + " did not start: " + Files.readString(log, StandardCharsets.UTF_8));
    }

    static String file(String name) {
        return pki.resolve(name).toString();
    }

    /** The jar with no broker in the environment and an empty machine store. */
    static Result hoist(Map<String, String> extraEnv, String... args) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString(), "USER", "ops"));
        env.putAll(extraEnv);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", dir.resolve("machine").toString()));
        return TestServices.hoist(home, env, all.toArray(new String[0]));
    }

    static Result hoist(String... args) throws IOException {
        return hoist(Map.of(), args);
    }

    @Test
    void writes_and_reads_with_pem_files_and_a_client_certificate() throws IOException {
        String[] tls = {"--server", "tls://127.0.0.1:" + port, "--tls-cert", file("client.pem"), "--tls-key", file("client.key"),
            "--tls-ca", file("ca.pem")};
        Result put = hoist(concat(new String[] {"tag", "weather", "v2", "--create", "--layout", "container"}, tls));
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        assertThat(put.out()).isEqualTo("HOIST_weather/TAG = v2 (revision 1)\n");

        Result get = hoist(concat(new String[] {"tag", "weather", "--layout", "container"}, tls));
        assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCode.OK);
        assertThat(get.out()).isEqualTo("v2\n");
    }

    @Test
    void a_pkcs1_rsa_key_and_a_nats_url_by_host_name_work_too() throws IOException {
        Result put = hoist("tag", "pkcs1", "v3", "--create", "--layout", "container", "--server", "localhost:" + port,
                "--tls-cert", file("client.pem"), "--tls-key", file("client-rsa.key"), "--tls-ca", file("ca.pem"));
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        assertThat(put.out()).isEqualTo("HOIST_pkcs1/TAG = v3 (revision 1)\n");
    }

    @Test
    void a_choria_client_config_with_the_file_provider() throws IOException {
        Path conf = Files.writeString(dir.resolve("client.conf"), String.join("\n",
                "plugin.choria.middleware_hosts = localhost:" + port,
                "plugin.security.provider = file",
                "plugin.security.file.certificate = " + file("client.pem"),
                "plugin.security.file.key = " + file("client-rsa.key"),
                "plugin.security.file.ca = " + file("ca.pem")));
        Result put = hoist("tag", "fileprov", "v4", "--create", "--layout", "container", "--choria-config", conf.toString());
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        Result get = hoist("tag", "fileprov", "--layout", "container", "--choria-config", conf.toString());
        assertThat(get.out()).isEqualTo("v4\n");
    }

    @Test
    void a_choria_client_config_with_the_puppet_provider_layout() throws IOException {
        Path ssl = dir.resolve("puppet-ssl");
        Files.createDirectories(ssl.resolve("certs"));
        Files.createDirectories(ssl.resolve("private_keys"));
        Files.copy(pki.resolve("client.pem"), ssl.resolve("certs/ops.mcollective.pem"));
        Files.copy(pki.resolve("client-rsa.key"), ssl.resolve("private_keys/ops.mcollective.pem"));
        Files.copy(pki.resolve("ca.pem"), ssl.resolve("certs/ca.pem"));
        Path conf = Files.writeString(dir.resolve("puppet.conf"), String.join("\n",
                "plugin.choria.middleware_hosts = nats://localhost:" + port,
                "plugin.security.provider = puppet",
                "plugin.choria.ssldir = " + ssl));
        Result put = hoist("tag", "puppetprov", "v5", "--create", "--layout", "container", "--choria-config", conf.toString());
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        assertThat(put.out()).isEqualTo("HOIST_puppetprov/TAG = v5 (revision 1)\n");
    }

    @Test
    void without_a_client_certificate_the_broker_refuses_in_one_line() throws IOException {
        Result r = hoist("tag", "weather", "--layout", "container", "--server", "tls://127.0.0.1:" + port, "--tls-ca", file("ca.pem"));
        assertThat(r.exitCode()).isEqualTo(ExitCode.KV_ERROR);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("hoist-cli: cannot connect to NATS at tls://127.0.0.1:" + port + " (from --server): ")
                .contains("--tls-cert");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void a_plain_connection_to_a_tls_broker_fails_in_one_line() throws IOException {
        Result r = hoist("tag", "weather", "--layout", "container", "--server", "nats://127.0.0.1:" + port);
        assertThat(r.exitCode()).isEqualTo(ExitCode.KV_ERROR);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("hoist-cli: cannot connect to NATS at nats://127.0.0.1:" + port + " (from --server): ");
    }

    @Test
    void a_broker_signed_by_another_ca_is_refused() throws IOException {
        Result r = hoist("tag", "weather", "--layout", "container", "--server", "tls://127.0.0.1:" + port,
                "--tls-cert", file("client.pem"), "--tls-key", file("client.key"), "--tls-ca", file("other-ca.pem"));
        assertThat(r.exitCode()).isEqualTo(ExitCode.KV_ERROR);
        assertThat(r.err().lines()).singleElement().asString().contains("TLS failed");
    }

    @Test
    void the_brokers_certificate_must_name_the_host_connected_to() throws IOException {
        String[] tls = {"--tls-cert", file("client.pem"), "--tls-key", file("client.key"), "--tls-ca", file("ca.pem")};
        Result byName = hoist(concat(new String[] {"tag", "hostcheck", "v1", "--create", "--layout", "container",
            "--server", "tls://localhost:" + localhostOnlyPort}, tls));
        assertThat(byName.exitCode()).as(byName.err()).isEqualTo(ExitCode.OK);

        Result byAddress = hoist(concat(new String[] {"tag", "hostcheck", "--layout", "container",
            "--server", "tls://127.0.0.1:" + localhostOnlyPort}, tls));
        assertThat(byAddress.exitCode()).isEqualTo(ExitCode.KV_ERROR);
        assertThat(byAddress.err().lines()).singleElement().asString().contains("TLS failed").contains("127.0.0.1");
    }

    @Test
    void a_missing_key_file_is_bad_input() throws IOException {
        Result r = hoist("tag", "weather", "--layout", "container", "--server", "tls://127.0.0.1:" + port,
                "--tls-cert", file("client.pem"), "--tls-key", file("nope.key"), "--tls-ca", file("ca.pem"));
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(r.err()).isEqualTo("hoist-cli: TLS key " + file("nope.key") + " does not exist\n");
    }

    @Test
    void an_ec_client_key_in_sec1_as_openssl_ecparam_writes_it_against_an_ec_broker() throws IOException {
        String[] tls = {"--server", "tls://localhost:" + ecPort, "--tls-cert", file("ec-client.pem"), "--tls-key", file("ec-client.key"),
            "--tls-ca", file("ec-ca.pem")};
        Result put = hoist(concat(new String[] {"tag", "ecsec1", "v6", "--create", "--layout", "container"}, tls));
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        assertThat(put.out()).isEqualTo("HOIST_ecsec1/TAG = v6 (revision 1)\n");
        Result get = hoist(concat(new String[] {"tag", "ecsec1", "--layout", "container"}, tls));
        assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCode.OK);
        assertThat(get.out()).isEqualTo("v6\n");
    }

    @Test
    void an_ec_client_key_in_pkcs8_through_a_choria_client_config() throws IOException {
        Path conf = Files.writeString(dir.resolve("ec-client.conf"), String.join("\n",
                "plugin.choria.middleware_hosts = 127.0.0.1:" + ecPort,
                "plugin.security.provider = file",
                "plugin.security.file.certificate = " + file("ec-client.pem"),
                "plugin.security.file.key = " + file("ec-client.p8"),
                "plugin.security.file.ca = " + file("ec-ca.pem")));
        Result put = hoist("tag", "ecpkcs8", "v7", "--create", "--layout", "container", "--choria-config", conf.toString());
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        assertThat(put.out()).isEqualTo("HOIST_ecpkcs8/TAG = v7 (revision 1)\n");
    }

    @Test
    void an_encrypted_key_is_bad_input_in_one_line_as_choria_cannot_read_it_either() throws IOException {
        Result r = hoist("tag", "weather", "--layout", "container", "--server", "tls://localhost:" + ecPort,
                "--tls-cert", file("ec-client.pem"), "--tls-key", file("ec-client-encrypted.key"), "--tls-ca", file("ec-ca.pem"));
        assertThat(r.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(r.err()).isEqualTo("hoist-cli: TLS key " + file("ec-client-encrypted.key") + " is encrypted, which Choria does not"
                + " read either; write it unencrypted with: openssl pkey -in KEY -out KEY.plain\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void a_client_certificate_from_another_ca_is_refused_by_the_broker() throws IOException {
        // The RSA client against the EC broker: its CA is not the broker's.
        Result r = hoist("tag", "weather", "--layout", "container", "--server", "tls://localhost:" + ecPort,
                "--tls-cert", file("client.pem"), "--tls-key", file("client.key"), "--tls-ca", file("ec-ca.pem"));
        assertThat(r.exitCode()).isEqualTo(ExitCode.KV_ERROR);
        assertThat(r.err().lines()).singleElement().asString().startsWith("hoist-cli: cannot connect to NATS at tls://localhost:" + ecPort);
    }

    /**
     * The control for CheckClassLoadingIT, which finds no BouncyCastle class in check's class-loading log:
     * the same log does list them when a command reads PEM files, so their absence there means something.
     */
    @Test
    void reading_pem_files_loads_bouncycastle_as_the_class_loading_log_shows() throws IOException {
        Path log = dir.resolve("tag-classes.log");
        Path home = Files.createDirectories(dir.resolve("home"));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-jar", TestServices.jar().toString(),
                "tag", "classes", "v1", "--create", "--layout", "container", "--store", dir.resolve("machine").toString(),
                "--server", "tls://localhost:" + ecPort, "--tls-cert", file("ec-client.pem"), "--tls-key", file("ec-client.key"),
                "--tls-ca", file("ec-ca.pem"));
        // Guard, not a speed bound: one tag write takes about a second; only a hung JVM reaches 120 s.
        Result r = TestServices.exec(home, Map.of("HOME", home.toString()), cmd, 120);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(Files.readAllLines(log)).anyMatch(l -> l.contains(" org.bouncycastle.openssl.PEMParser "));
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
