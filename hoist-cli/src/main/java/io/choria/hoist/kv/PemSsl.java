package io.choria.hoist.kv;

import io.choria.hoist.HoistException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the SSLContext jnats wants from PEM files, as Choria's brokers use them: X.509
 * certificates, and an unencrypted private key in PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC or
 * Ed25519) or PKCS#1 ({@code BEGIN RSA PRIVATE KEY}, which Java cannot read and is re-wrapped here).
 *
 * <p>The context checks the broker's certificate against the host name in the URL, as Choria's Go
 * client does (jnats alone does not): a certificate signed by the same CA for another host is refused.
 */
public final class PemSsl {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)-----END \\1-----", Pattern.DOTALL);
    /** AlgorithmIdentifier rsaEncryption with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemSsl() {
    }

    /** A client SSLContext for FILES; without a CA file, the JVM's default trust store is used. */
    public static SSLContext context(TlsFiles files) {
        try {
            KeyManager[] keys = null;
            if (files.cert() != null) {
                List<X509Certificate> chain = certificates(files.cert(), "TLS certificate");
                PrivateKey key = privateKey(files.key());
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", key, new char[0], chain.toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
                keys = kmf.getKeyManagers();
            }
            TrustManager[] trust = null;
            if (files.ca() != null) {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                int i = 0;
                for (X509Certificate c : certificates(files.ca(), "CA certificate")) {
                    ts.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
                trust = tmf.getTrustManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys, trust, null);
            return new HostChecking(ctx);
        } catch (GeneralSecurityException | IOException e) {
            throw HoistException.badInput("cannot set up TLS from " + describe(files) + ": " + e.getMessage());
        }
    }

    /** The X.509 certificates in a PEM file, in order. */
    static List<X509Certificate> certificates(Path file, String what) {
        String text = read(file, what);
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(text)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw HoistException.badInput(what + " " + file + " holds a certificate Java cannot read: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw HoistException.badInput(what + " " + file + " holds no PEM certificate (BEGIN CERTIFICATE)");
        }
        return out;
    }

    /** The private key in a PEM file: PKCS#8, or PKCS#1 RSA. */
    static PrivateKey privateKey(Path file) {
        String text = read(file, "TLS key");
        for (Block b : blocks(text)) {
            switch (b.type()) {
                case "PRIVATE KEY":
                    return pkcs8(file, b.der());
                case "RSA PRIVATE KEY":
                    if (b.encrypted()) {
                        break;
                    }
                    return pkcs8(file, rsaPkcs1ToPkcs8(b.der()));
                case "ENCRYPTED PRIVATE KEY":
                    break;
                case "EC PRIVATE KEY":
                    throw HoistException.badInput("TLS key " + file + " is an EC key in SEC1 form, which hoist-cli does not read; convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
                default:
                    continue;
            }
            throw HoistException.badInput("TLS key " + file + " is encrypted; hoist-cli needs an unencrypted key (openssl pkcs8 -topk8 -nocrypt)");
        }
        throw HoistException.badInput("TLS key " + file + " holds no PEM private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(Path file, byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next algorithm
            }
        }
        throw HoistException.badInput("TLS key " + file + " is not an RSA, EC or Ed25519 private key Java can read");
    }

    /** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: SEQUENCE { 0, rsaEncryption, OCTET STRING }. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = bytes; i > 0; i--) {
            out[i] = (byte) (n & 0xff);
            n >>>= 8;
        }
        return out;
    }

    private record Block(String type, byte[] der, boolean encrypted) {
    }

    private static List<Block> blocks(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean encrypted = body.contains("Proc-Type: 4,ENCRYPTED");
            StringBuilder b64 = new StringBuilder();
            for (String line : body.split("\\R")) {
                if (!line.contains(":")) {
                    b64.append(line.strip());
                }
            }
            try {
                out.add(new Block(m.group(1), Base64.getDecoder().decode(b64.toString()), encrypted));
            } catch (IllegalArgumentException e) {
                // not base64: skip the block; the caller reports what is missing
            }
        }
        return out;
    }

    private static String read(Path file, String what) {
        if (file == null) {
            throw HoistException.badInput(what + " file is not given");
        }
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw HoistException.badInput(what + " " + file + " does not exist");
        } catch (IOException e) {
            throw HoistException.badInput(what + " " + file + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static String describe(TlsFiles f) {
        List<String> parts = new ArrayList<>();
        if (f.cert() != null) {
            parts.add(f.cert().toString());
        }
        if (f.key() != null) {
            parts.add(f.key().toString());
        }
        if (f.ca() != null) {
            parts.add(f.ca().toString());
        }
        return String.join(", ", parts);
    }

    /** An SSLContext whose sockets check the server's certificate against the host name they connect to. */
    private static final class HostChecking extends SSLContext {
        HostChecking(SSLContext delegate) {
            super(new Spi(delegate), delegate.getProvider(), delegate.getProtocol());
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;

        Spi(SSLContext delegate) {
            this.delegate = delegate;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            delegate.init(km, tm, sr);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new HostCheckingFactory(delegate.getSocketFactory());
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            SSLEngine e = delegate.createSSLEngine(host, port);
            SSLParameters p = e.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            e.setSSLParameters(p);
            return e;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }
    }

    private static final class HostCheckingFactory extends SSLSocketFactory {
        private final SSLSocketFactory delegate;

        HostCheckingFactory(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket checked(Socket s) {
            if (s instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
            }
            return s;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return checked(delegate.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket() throws IOException {
            return checked(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return checked(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return checked(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) throws IOException {
            return checked(delegate.createSocket(address, port, local, localPort));
        }
    }
}
