package io.choria.hoist.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The registry's HTTP API, for what hoist-cli asks a registry itself: the digest a tag points to
 * now, by a {@code HEAD} of its manifest (Docker Hub does not count a HEAD against its pull rate
 * limit), and whether the registry takes our credentials. Pulls go through the Docker Engine.
 *
 * <p>Authentication as Docker does it: a request without credentials, and on a 401 the scheme the
 * registry's {@code WWW-Authenticate} names: {@code Basic} with the credentials, or {@code Bearer}
 * with a token fetched from the realm (with the credentials, when there are some).
 *
 * <p>Transport as dockerd treats registries by default: HTTPS, verified against the JVM's CAs and
 * the {@code ca.crt} / {@code *.crt} files of {@code CERTS_DIR/HOST} (Docker's
 * {@code /etc/docker/certs.d} layout; {@value #CERTS_ENV} overrides the folder). A registry on a
 * loopback address is an insecure registry to dockerd (127.0.0.0/8 is in its default
 * insecure-registries): HTTPS without verifying the certificate, then plain HTTP; hoist-cli does
 * the same, so it reaches whatever dockerd pulls from.
 */
public final class RegistryClient {
    public static final String CERTS_ENV = "HOIST_REGISTRY_CERTS";
    public static final String DEFAULT_CERTS_DIR = "/etc/docker/certs.d";
    /** Every manifest type a tag may point to: Docker v2 and OCI manifests, and their lists (indexes). */
    public static final String ACCEPT = String.join(", ",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PARAM = Pattern.compile("([a-zA-Z_]+)=\"([^\"]*)\"");

    private final RegistryAuth auth;
    private final Path certsDir;

    public RegistryClient(RegistryAuth auth, Path certsDir) {
        this.auth = auth;
        this.certsDir = certsDir;
    }

    public static RegistryClient fromEnvironment(RegistryAuth auth, Map<String, String> env) {
        String d = env.get(CERTS_ENV);
        return new RegistryClient(auth, Path.of(d == null || d.isBlank() ? DEFAULT_CERTS_DIR : d));
    }

    /** The digest {@code image:tag} points to in its registry now ({@code sha256:...}); exit 4 when it cannot be told. */
    public String digest(String image, String tag) {
        ImageName n = ImageName.of(image);
        String path = "/v2/" + n.path() + "/manifests/" + tag;
        HttpResponse<byte[]> r = send(n, "HEAD", path, "repository:" + n.path() + ":pull");
        if (r.statusCode() == 404) {
            throw unavailable("registry " + n.host() + " has no " + image + ":" + tag);
        }
        if (r.statusCode() != 200) {
            throw unavailable("registry " + n.host() + " answered " + r.statusCode() + " for the manifest of " + image + ":" + tag);
        }
        Optional<String> d = r.headers().firstValue("Docker-Content-Digest");
        if (d.isPresent()) {
            return d.get();
        }
        // A registry that does not say the digest: it is the sha256 of the manifest as served.
        HttpResponse<byte[]> g = send(n, "GET", path, "repository:" + n.path() + ":pull");
        if (g.statusCode() != 200) {
            throw unavailable("registry " + n.host() + " answered " + g.statusCode() + " for the manifest of " + image + ":" + tag);
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(g.body()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Why a pull of {@code image} may have failed, as the registry tells it: that it wants
     * credentials the file does not hold, or refuses those it holds. Empty when the registry takes
     * us (or cannot be asked): the pull's own error then stands.
     */
    public Optional<String> diagnose(String image) {
        ImageName n = ImageName.of(image);
        try {
            HttpResponse<byte[]> r = send(n, "GET", "/v2/", "repository:" + n.path() + ":pull");
            return r.statusCode() == 200 ? Optional.empty()
                    : Optional.of("registry " + n.host() + " answered " + r.statusCode() + " to its API root");
        } catch (HoistException e) {
            return e.getMessage().contains("credentials") ? Optional.of(e.getMessage()) : Optional.empty();
        }
    }

    /** One request, authenticated as the registry asks on a 401. */
    private HttpResponse<byte[]> send(ImageName n, String method, String path, String scope) {
        Optional<Credentials> creds = auth.forHost(n.host());
        Transport t = transport(n);
        HttpResponse<byte[]> r = t.send(method, path, null);
        if (r.statusCode() != 401) {
            return r;
        }
        String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
        String authorization;
        if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
            authorization = creds.orElseThrow(() -> noCredentials(n)).basic();
        } else if (challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
            authorization = "Bearer " + token(n, challenge, scope, creds);
        } else {
            throw unavailable("registry " + n.host() + " asks for an authentication Hoist does not speak ("
                    + HoistException.oneLine(challenge.split(" ", 2)[0], 40) + ")");
        }
        HttpResponse<byte[]> again = t.send(method, path, authorization);
        if (again.statusCode() == 401 || again.statusCode() == 403) {
            throw creds.isPresent() ? refused(n) : noCredentials(n);
        }
        return again;
    }

    /** A Bearer token from the challenge's realm, for the scope (Docker's token flow). */
    private String token(ImageName n, String challenge, String scope, Optional<Credentials> creds) {
        Map<String, String> p = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            p.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = p.get("realm");
        if (realm == null || !realm.startsWith("https://") && !(realm.startsWith("http://") && n.loopback())) {
            throw unavailable("registry " + n.host() + " names no usable token realm");
        }
        StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (p.containsKey("service")) {
            url.append("service=").append(URLEncoder.encode(p.get("service"), StandardCharsets.UTF_8)).append('&');
        }
        url.append("scope=").append(URLEncoder.encode(p.getOrDefault("scope", scope), StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url.toString())).timeout(TIMEOUT).GET();
        creds.ifPresent(c -> b.header("Authorization", c.basic()));
        HttpResponse<byte[]> r;
        try {
            r = client(verifying(URI.create(realm).getAuthority())).send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw unavailable("cannot reach the token service of registry " + n.host() + ": " + HoistException.oneLine(String.valueOf(e.getMessage()), 120));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted");
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw creds.isPresent() ? refused(n) : noCredentials(n);
        }
        try {
            var o = JsonParser.parseString(new String(r.body(), StandardCharsets.UTF_8)).getAsJsonObject();
            JsonElement t = o.has("token") ? o.get("token") : o.get("access_token");
            return t.getAsString();
        } catch (RuntimeException e) {
            throw unavailable("the token service of registry " + n.host() + " answered " + r.statusCode() + " without a token");
        }
    }

    private HoistException noCredentials(ImageName n) {
        return unavailable("registry " + n.host() + " requires credentials, and " + (auth.file() == null ? "no registry auth file is set"
                : "the registry auth file " + auth.file() + (auth.present() ? " has none for it" : " does not exist")));
    }

    private HoistException refused(ImageName n) {
        return unavailable("registry " + n.host() + " refused the credentials for it in " + auth.file());
    }

    private static HoistException unavailable(String message) {
        return new HoistException(ExitCode.IMAGE_UNAVAILABLE, message);
    }

    /** How a registry is reached: HTTPS verified, or for loopback HTTPS unverified, then HTTP. */
    private interface Transport {
        HttpResponse<byte[]> send(String method, String path, String authorization);
    }

    private Transport transport(ImageName n) {
        String host = n.apiHost();
        if (!n.loopback()) {
            HttpClient c = client(verifying(host));
            return (method, path, authorization) -> call(c, "https://" + host + path, method, authorization, n);
        }
        HttpClient insecure = client(trustingAll());
        HttpClient plain = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        boolean[] http = {false};
        return (method, path, authorization) -> {
            if (!http[0]) {
                try {
                    return call(insecure, "https://" + host + path, method, authorization, n);
                } catch (FallBack e) {
                    http[0] = true;
                }
            }
            return call(plain, "http://" + host + path, method, authorization, n);
        };
    }

    /** The TLS handshake failed on a loopback registry: it may speak plain HTTP. */
    private static final class FallBack extends RuntimeException {
        FallBack() {
            super(null, null, false, false);
        }
    }

    private static HttpResponse<byte[]> call(HttpClient c, String url, String method, String authorization, ImageName n) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).header("Accept", ACCEPT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return c.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLException e) {
            if (n.loopback() && url.startsWith("https:")) {
                throw new FallBack();
            }
            throw unavailable("TLS with registry " + n.host() + " failed: " + HoistException.oneLine(String.valueOf(e.getMessage()), 160)
                    + " (its CA goes into " + DEFAULT_CERTS_DIR + "/" + n.host() + "/ca.crt, as for Docker)");
        } catch (ConnectException e) {
            throw unavailable("cannot reach registry " + n.host() + ": connection refused");
        } catch (IOException e) {
            if (n.loopback() && url.startsWith("https:") && e.getMessage() != null && e.getMessage().contains("SSL")) {
                throw new FallBack();
            }
            throw unavailable("cannot reach registry " + n.host() + ": " + HoistException.oneLine(String.valueOf(e.getMessage()), 160));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while asking registry " + n.host());
        }
    }

    private static HttpClient client(SSLContext ssl) {
        return HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(ssl).build();
    }

    /** The JVM's CAs plus the registry's own from the certs folder. */
    private SSLContext verifying(String host) {
        try {
            Path dir = certsDir == null ? null : certsDir.resolve(host);
            if (dir == null || !Files.isDirectory(dir)) {
                return SSLContext.getDefault();
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            TrustManagerFactory def = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            def.init((KeyStore) null);
            int i = 0;
            for (TrustManager tm : def.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        ks.setCertificateEntry("jvm-" + i++, c);
                    }
                }
            }
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".crt")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(p)) {
                        for (var c : cf.generateCertificates(in)) {
                            ks.setCertificateEntry("certs.d-" + i++, c);
                        }
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw unavailable("cannot read the CA certificates for registry " + host + " in " + certsDir + ": "
                    + HoistException.oneLine(String.valueOf(e.getMessage()), 120));
        }
    }

    /** dockerd's insecure registries: TLS without verifying the certificate. */
    private static SSLContext trustingAll() {
        X509ExtendedTrustManager all = new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {all}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
