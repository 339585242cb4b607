package io.choria.hoist.kv;

import io.choria.hoist.HoistException;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
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
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Builds the SSLContext jnats wants from PEM files, as Choria's brokers use them: X.509
 * certificates, and an unencrypted private key in any form Choria (Go's {@code tls.LoadX509KeyPair})
 * reads: PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC or Ed25519), PKCS#1 ({@code BEGIN RSA PRIVATE KEY})
 * or SEC1 ({@code BEGIN EC PRIVATE KEY}). BouncyCastle's PEMParser reads the files; the keys and
 * certificates are then made by the JDK's own providers (BouncyCastle's provider is not installed).
 * Encrypted keys are refused: Choria cannot read them either.
 *
 * <p>The context checks the broker's certificate against the host name in the URL, as Choria's Go
 * client does (jnats alone does not): a certificate signed by the same CA for another host is refused.
 */
public final class PemSsl {
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

    /** The X.509 certificates in a PEM file, in order; other PEM objects in it are skipped. */
    static List<X509Certificate> certificates(Path file, String what) {
        String text = read(file, what);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> out = new ArrayList<>();
        try (PEMParser pem = new PEMParser(new StringReader(text))) {
            Object o;
            while ((o = pem.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // PEMParser throws IOExceptions and, for some malformed DER, runtime exceptions: all are the file's fault.
            throw HoistException.badInput(what + " " + file + " holds a certificate that cannot be read: " + oneLine(e));
        }
        if (out.isEmpty()) {
            throw HoistException.badInput(what + " " + file + " holds no PEM certificate (BEGIN CERTIFICATE)");
        }
        return out;
    }

    /** The first private key in a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    static PrivateKey privateKey(Path file) {
        String text = read(file, "TLS key");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        boolean encrypted = false;
        try (PEMParser pem = new PEMParser(new StringReader(text))) {
            Object o;
            while ((o = pem.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                    encrypted = true;
                    break;
                }
                // anything else (a certificate, EC PARAMETERS before a SEC1 key) is skipped
            }
        } catch (IOException | RuntimeException e) {
            // PEMParser throws IOExceptions and, for some malformed DER, runtime exceptions: all are the file's fault.
            throw HoistException.badInput("TLS key " + file + " holds a private key that cannot be read: " + oneLine(e));
        }
        if (encrypted) {
            // Choria reads its key with Go's tls.LoadX509KeyPair, which has no passphrase: no Choria node has one.
            throw HoistException.badInput("TLS key " + file + " is encrypted, which Choria does not read either;"
                    + " write it unencrypted with: openssl pkey -in KEY -out KEY.plain");
        }
        throw HoistException.badInput("TLS key " + file + " holds no PEM private key (BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
    }

    private static String oneLine(Exception e) {
        Throwable t = e;
        String m = e.getMessage();
        while ((m == null || m.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            m = t.getMessage();
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m).strip();
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
