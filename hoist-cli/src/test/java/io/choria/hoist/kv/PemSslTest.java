package io.choria.hoist.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.HoistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Private keys from PEM as Choria's certificates come: PKCS#8 and PKCS#1 RSA. Full TLS is in KvTlsIT. */
class PemSslTest {
    static KeyPair rsa;
    static KeyPair ec;

    @TempDir Path dir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(256);
        ec = e.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The RSAPrivateKey inside Java's PKCS#8 encoding: what openssl writes as BEGIN RSA PRIVATE KEY. */
    static byte[] pkcs1(PrivateKey key) {
        byte[] p8 = key.getEncoded();
        // SEQUENCE { INTEGER 0, AlgorithmIdentifier (15 bytes), OCTET STRING { RSAPrivateKey } }
        int i = 1;
        i += (p8[i] & 0x80) == 0 ? 1 : 1 + (p8[i] & 0x7f);
        i += 3 + 15;
        if (p8[i++] != 0x04) {
            throw new IllegalStateException("unexpected PKCS#8 layout");
        }
        int len;
        if ((p8[i] & 0x80) == 0) {
            len = p8[i++];
        } else {
            int n = p8[i++] & 0x7f;
            len = 0;
            for (int k = 0; k < n; k++) {
                len = (len << 8) | (p8[i++] & 0xff);
            }
        }
        return Arrays.copyOfRange(p8, i, i + len);
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void reads_a_pkcs8_rsa_key() throws IOException {
        PrivateKey k = PemSsl.privateKey(write("k.pem", pem("PRIVATE KEY", rsa.getPrivate().getEncoded())));
        assertThat(k.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void reads_a_pkcs1_rsa_key_which_java_cannot_alone() throws IOException {
        Path f = write("k.pem", "Some openssl text before\n" + pem("RSA PRIVATE KEY", pkcs1(rsa.getPrivate())));
        PrivateKey k = PemSsl.privateKey(f);
        assertThat(k.getAlgorithm()).isEqualTo("RSA");
        assertThat(k.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void wraps_pkcs1_in_pkcs8_exactly_as_java_encodes_it() {
        assertThat(PemSsl.rsaPkcs1ToPkcs8(pkcs1(rsa.getPrivate()))).isEqualTo(rsa.getPrivate().getEncoded());
    }

    @Test
    void reads_a_pkcs8_ec_key() throws IOException {
        assertThat(PemSsl.privateKey(write("k.pem", pem("PRIVATE KEY", ec.getPrivate().getEncoded()))).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void refuses_encrypted_and_sec1_keys_with_the_openssl_command_that_converts_them() throws IOException {
        assertThatThrownBy(() -> PemSsl.privateKey(write("a.pem", pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}))))
                .isInstanceOf(HoistException.class).hasMessageContaining("is encrypted").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> PemSsl.privateKey(write("b.pem",
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n")))
                .hasMessageContaining("is encrypted");
        assertThatThrownBy(() -> PemSsl.privateKey(write("c.pem", pem("EC PRIVATE KEY", new byte[] {1, 2, 3}))))
                .hasMessageContaining("SEC1").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }

    @Test
    void missing_files_and_files_without_pem_are_bad_input_naming_the_file() throws IOException {
        assertThatThrownBy(() -> PemSsl.privateKey(dir.resolve("none.pem")))
                .isInstanceOf(HoistException.class).hasMessage("TLS key " + dir.resolve("none.pem") + " does not exist");
        Path junk = write("junk.pem", "not a pem file");
        assertThatThrownBy(() -> PemSsl.privateKey(junk)).hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> PemSsl.certificates(junk, "CA certificate"))
                .hasMessage("CA certificate " + junk + " holds no PEM certificate (BEGIN CERTIFICATE)");
    }

    @Test
    void a_context_without_files_uses_the_default_trust_and_checks_host_names() {
        SSLContext ctx = PemSsl.context(new TlsFiles(null, null, null));
        assertThat(ctx.getSocketFactory().getClass().getSimpleName()).isEqualTo("HostCheckingFactory");
    }
}
