package io.choria.hoist.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private keys and certificates from PEM as Choria's come: PKCS#8, PKCS#1 RSA and SEC1 EC keys,
 * unencrypted. The files are written here by the JDK (DER) and by BouncyCastle's writers, KvTlsIT's
 * by openssl. Full TLS is in KvTlsIT.
 */
class PemSslTest {
    static KeyPair rsa;
    static KeyPair ec;
    static KeyPair ed25519;

    @TempDir Path dir;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsa = g.generateKeyPair();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(256);
        ec = e.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** What BouncyCastle's writer makes of OBJECT: a certificate, an RSA key in PKCS#1. */
    static String written(Object object) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(object);
        }
        return s.toString();
    }

    /**
     * The EC key in SEC1 form with its curve and public key, as openssl writes BEGIN EC PRIVATE KEY.
     * (BouncyCastle's PEM writer cannot be used: from a JDK key it writes SEC1 without the curve.)
     */
    static String sec1(KeyPair pair) throws IOException {
        byte[] spki = pair.getPublic().getEncoded();
        byte[] point = Arrays.copyOfRange(spki, spki.length - 65, spki.length); // 04 || X || Y on P-256
        var key = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) pair.getPrivate()).getS(),
                new DERBitString(point), SECObjectIdentifiers.secp256r1);
        return pem("EC PRIVATE KEY", key.getEncoded());
    }

    /** The RSAPrivateKey inside Java's PKCS#8 encoding, cut out by hand: what openssl writes as BEGIN RSA PRIVATE KEY. */
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

    static X509Certificate selfSigned(KeyPair pair, String cn, String algorithm) throws Exception {
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + cn);
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                Date.from(now.plus(1, ChronoUnit.DAYS)), name, pair.getPublic());
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(pair.getPrivate())));
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Nested
    class Keys {
        @Test
        void reads_a_pkcs8_rsa_key() throws IOException {
            PrivateKey k = PemSsl.privateKey(write("k.pem", pem("PRIVATE KEY", rsa.getPrivate().getEncoded())));
            assertThat(k.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
        }

        @Test
        void reads_a_pkcs1_rsa_key_with_text_before_it() throws IOException {
            Path f = write("k.pem", "Some openssl text before\n" + pem("RSA PRIVATE KEY", pkcs1(rsa.getPrivate())));
            PrivateKey k = PemSsl.privateKey(f);
            assertThat(k.getAlgorithm()).isEqualTo("RSA");
            assertThat(k.getEncoded()).isEqualTo(rsa.getPrivate().getEncoded());
        }

        @Test
        void reads_a_pkcs8_ec_key() throws IOException {
            PrivateKey k = PemSsl.privateKey(write("k.pem", pem("PRIVATE KEY", ec.getPrivate().getEncoded())));
            assertThat(k.getAlgorithm()).isEqualTo("EC");
            assertThat(k.getEncoded()).isEqualTo(ec.getPrivate().getEncoded());
        }

        @Test
        void reads_a_sec1_ec_key_as_openssl_ecparam_writes_it_after_its_parameters() throws IOException {
            // `openssl ecparam -genkey -name prime256v1` writes an EC PARAMETERS block first.
            String params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
            PrivateKey k = PemSsl.privateKey(write("k.pem", params + sec1(ec)));
            assertThat(k.getAlgorithm()).isEqualTo("EC");
            assertThat(((ECPrivateKey) k).getS()).isEqualTo(((ECPrivateKey) ec.getPrivate()).getS());
            assertThat(((ECPrivateKey) k).getParams().getCurve()).isEqualTo(((ECPrivateKey) ec.getPrivate()).getParams().getCurve());
        }

        @Test
        void reads_a_pkcs8_ed25519_key() throws IOException {
            PrivateKey k = PemSsl.privateKey(write("k.pem", pem("PRIVATE KEY", ed25519.getPrivate().getEncoded())));
            assertThat(k.getAlgorithm()).isIn("Ed25519", "EdDSA");
            assertThat(k.getEncoded()).isEqualTo(ed25519.getPrivate().getEncoded());
        }

        @Test
        void finds_the_key_in_a_file_that_holds_the_certificate_first() throws Exception {
            Path f = write("both.pem", written(selfSigned(ec, "node", "SHA256withECDSA")) + sec1(ec));
            assertThat(PemSsl.privateKey(f).getAlgorithm()).isEqualTo("EC");
        }

        @Test
        void refuses_encrypted_pkcs8_and_encrypted_traditional_keys_in_one_line_naming_choria() throws Exception {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
            StringWriter p8 = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(p8)) {
                w.writeObject(new JcaPKCS8Generator(ec.getPrivate(), encryptor));
            }
            assertThat(p8.toString()).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
            StringWriter legacy = new StringWriter();
            try (JcaPEMWriter w = new JcaPEMWriter(legacy)) {
                w.writeObject(rsa.getPrivate(), new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider())
                        .build("secret".toCharArray()));
            }
            assertThat(legacy.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----").contains("Proc-Type: 4,ENCRYPTED");

            for (String text : List.of(p8.toString(), legacy.toString())) {
                Path f = write("enc.pem", text);
                assertThatThrownBy(() -> PemSsl.privateKey(f))
                        .isInstanceOf(HoistException.class)
                        .hasMessage("TLS key " + f + " is encrypted, which Choria does not read either;"
                                + " write it unencrypted with: openssl pkey -in KEY -out KEY.plain")
                        .satisfies(e -> assertThat(((HoistException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
            }
        }

        @Test
        void a_damaged_key_block_is_bad_input_naming_the_file() throws IOException {
            Path notBase64 = write("a.pem", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
            assertThatThrownBy(() -> PemSsl.privateKey(notBase64)).isInstanceOf(HoistException.class)
                    .hasMessageStartingWith("TLS key " + notBase64 + " holds a private key that cannot be read: ");
            Path notDer = write("b.pem", pem("EC PRIVATE KEY", new byte[] {1, 2, 3}));
            assertThatThrownBy(() -> PemSsl.privateKey(notDer)).isInstanceOf(HoistException.class)
                    .hasMessageStartingWith("TLS key " + notDer + " holds a private key that cannot be read: ")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
            Path openssh = write("c.pem", pem("OPENSSH PRIVATE KEY", new byte[] {1, 2, 3}));
            assertThatThrownBy(() -> PemSsl.privateKey(openssh)).hasMessageContaining("OPENSSH PRIVATE KEY");
        }

        /**
         * Damaged keys of every kind read are bad input, never a crash (exit 70): 1,000 seeded mutations of
         * the DER inside the PEM (bytes flipped, cut short, a length byte changed, bytes inserted).
         */
        @Test
        void damaged_der_in_every_key_form_is_a_key_or_bad_input_never_a_crash() throws IOException {
            List<String[]> valid = List.of(
                    new String[] {"PRIVATE KEY", Base64.getEncoder().encodeToString(rsa.getPrivate().getEncoded())},
                    new String[] {"PRIVATE KEY", Base64.getEncoder().encodeToString(ec.getPrivate().getEncoded())},
                    new String[] {"PRIVATE KEY", Base64.getEncoder().encodeToString(ed25519.getPrivate().getEncoded())},
                    new String[] {"RSA PRIVATE KEY", Base64.getEncoder().encodeToString(pkcs1(rsa.getPrivate()))},
                    new String[] {"EC PRIVATE KEY", sec1(ec).lines().filter(l -> !l.startsWith("-----")).reduce("", String::concat)});
            java.util.Random random = new java.util.Random(14);
            Path f = dir.resolve("fuzz.pem");
            for (int i = 0; i < 1000; i++) {
                String[] v = valid.get(random.nextInt(valid.size()));
                byte[] der = Base64.getDecoder().decode(v[1]);
                switch (random.nextInt(4)) {
                    case 0 -> der[random.nextInt(der.length)] ^= (byte) (1 + random.nextInt(255));
                    case 1 -> der = Arrays.copyOf(der, random.nextInt(der.length));
                    case 2 -> der[1 + random.nextInt(Math.min(8, der.length - 1))] = (byte) random.nextInt(256);
                    default -> {
                        int at = random.nextInt(der.length);
                        byte[] longer = new byte[der.length + 1];
                        System.arraycopy(der, 0, longer, 0, at);
                        longer[at] = (byte) random.nextInt(256);
                        System.arraycopy(der, at, longer, at + 1, der.length - at);
                        der = longer;
                    }
                }
                Files.writeString(f, pem(v[0], der));
                try {
                    assertThat(PemSsl.privateKey(f)).isNotNull();
                } catch (HoistException e) {
                    assertThat(e.exitCode()).as("case %d (%s)", i, v[0]).isEqualTo(ExitCode.BAD_INPUT);
                    assertThat(e.getMessage()).as("case %d", i).startsWith("TLS key " + f + " ").doesNotContain("\n");
                }
            }
        }

        @Test
        void missing_files_and_files_without_pem_are_bad_input_naming_the_file() throws IOException {
            assertThatThrownBy(() -> PemSsl.privateKey(dir.resolve("none.pem")))
                    .isInstanceOf(HoistException.class).hasMessage("TLS key " + dir.resolve("none.pem") + " does not exist");
            Path junk = write("junk.pem", "not a pem file");
            assertThatThrownBy(() -> PemSsl.privateKey(junk))
                    .hasMessage("TLS key " + junk + " holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
        }
    }

    @Nested
    class Certificates {
        @Test
        void reads_a_chain_in_order_skipping_text_and_other_blocks() throws Exception {
            X509Certificate leaf = selfSigned(ec, "node.example", "SHA256withECDSA");
            X509Certificate ca = selfSigned(rsa, "Hoist Test CA", "SHA256withRSA");
            Path f = write("chain.pem", "subject=CN = node.example\n" + written(leaf) + sec1(ec) + "\n" + written(ca));
            assertThat(PemSsl.certificates(f, "TLS certificate")).containsExactly(leaf, ca);
        }

        @Test
        void a_file_without_certificates_or_with_a_damaged_one_is_bad_input() throws IOException {
            Path junk = write("junk.pem", "not a pem file");
            assertThatThrownBy(() -> PemSsl.certificates(junk, "CA certificate"))
                    .hasMessage("CA certificate " + junk + " holds no PEM certificate (BEGIN CERTIFICATE)");
            Path keyOnly = write("key.pem", sec1(ec));
            assertThatThrownBy(() -> PemSsl.certificates(keyOnly, "CA certificate")).hasMessageContaining("holds no PEM certificate");
            Path damaged = write("bad.pem", pem("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}));
            assertThatThrownBy(() -> PemSsl.certificates(damaged, "TLS certificate")).isInstanceOf(HoistException.class)
                    .hasMessageStartingWith("TLS certificate " + damaged + " holds a certificate that cannot be read: ");
            assertThatThrownBy(() -> PemSsl.certificates(dir.resolve("none.pem"), "CA certificate"))
                    .hasMessage("CA certificate " + dir.resolve("none.pem") + " does not exist");
        }
    }

    @Nested
    class Contexts {
        @Test
        void a_context_with_a_sec1_ec_key_and_its_certificate() throws Exception {
            Path cert = write("c.pem", written(selfSigned(ec, "node", "SHA256withECDSA")));
            Path key = write("k.pem", sec1(ec));
            Path ca = write("ca.pem", written(selfSigned(rsa, "CA", "SHA256withRSA")));
            SSLContext ctx = PemSsl.context(new TlsFiles(cert, key, ca));
            assertThat(ctx.getSocketFactory().getClass().getSimpleName()).isEqualTo("HostCheckingFactory");
        }

        @Test
        void a_context_without_files_uses_the_default_trust_and_checks_host_names() {
            SSLContext ctx = PemSsl.context(new TlsFiles(null, null, null));
            assertThat(ctx.getSocketFactory().getClass().getSimpleName()).isEqualTo("HostCheckingFactory");
        }
    }
}
