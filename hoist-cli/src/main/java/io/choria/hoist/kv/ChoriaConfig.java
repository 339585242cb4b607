package io.choria.hoist.kv;

import io.choria.hoist.HoistException;
import io.choria.hoist.spec.Tags;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a Choria client configuration ({@code /etc/choria/client.conf}, {@code ~/.choriarc})
 * that say how to reach the broker: {@code plugin.choria.middleware_hosts} and the certificates of
 * the security provider.
 *
 * <p>The file format is Choria's: {@code key = value} lines, {@code #} comments, the last value of
 * a key wins, a leading {@code ~} in paths is the home folder. {@code plugin.d} folders are not read.
 *
 * <p>Certificates, by {@code plugin.security.provider}:
 * <ul>
 *   <li>{@code file}: {@code plugin.security.file.certificate}, {@code .key} and {@code .ca}; with none
 *       of the three set the connection is plain (a Choria built without TLS, as in tests).</li>
 *   <li>{@code puppet} (Choria's default, used when no provider and no file keys are set): Puppet's
 *       SSL folder ({@code plugin.choria.ssldir}, else {@code /etc/puppetlabs/puppet/ssl} for root and
 *       {@code ~/.puppetlabs/etc/puppet/ssl} for others) with the client certname
 *       {@code $MCOLLECTIVE_CERTNAME}, else {@code $USER.mcollective}, as Choria's client does.</li>
 *   <li>Others ({@code choria}, {@code certmanager}, {@code pkcs11}) are not supported: give
 *       {@code --server} and the {@code --tls-*} files instead.</li>
 * </ul>
 */
public final class ChoriaConfig {
    public static final String MIDDLEWARE_HOSTS = "plugin.choria.middleware_hosts";
    public static final String PROVIDER = "plugin.security.provider";
    public static final String FILE_CERT = "plugin.security.file.certificate";
    public static final String FILE_KEY = "plugin.security.file.key";
    public static final String FILE_CA = "plugin.security.file.ca";
    public static final String SSLDIR = "plugin.choria.ssldir";
    private static final Pattern ITEM = Pattern.compile("^(.+?)\\s*=\\s*(.+)$");
    private static final Pattern HOST_PORT = Pattern.compile("^(?:([a-zA-Z][a-zA-Z0-9+.-]*)://)?(\\[[0-9a-fA-F:.]+\\]|[^:/\\s\\[\\]]+):([0-9]{1,5})/?$");

    private final Path file;
    private final Map<String, String> values;
    private final Map<String, String> env;

    private ChoriaConfig(Path file, Map<String, String> values, Map<String, String> env) {
        this.file = file;
        this.values = values;
        this.env = env;
    }

    /** Reads FILE; ENV supplies HOME, USER and MCOLLECTIVE_CERTNAME. A missing or unreadable file is bad input. */
    public static ChoriaConfig read(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw HoistException.badInput("cannot read the Choria configuration " + file + ": "
                    + (e instanceof NoSuchFileException ? "no such file" : e.getClass().getSimpleName()));
        }
        return parse(file, text, env);
    }

    /** Parses TEXT as Choria does; FILE names it in messages. */
    public static ChoriaConfig parse(Path file, String text, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = ITEM.matcher(line);
            if (m.matches()) {
                values.put(m.group(1).strip().toLowerCase(Locale.ROOT), m.group(2).strip());
            }
        }
        return new ChoriaConfig(file, values, env);
    }

    public Path file() {
        return file;
    }

    /** A raw value, or null. */
    public String get(String key) {
        return values.get(key.toLowerCase(Locale.ROOT));
    }

    /**
     * The broker URLs from {@code plugin.choria.middleware_hosts}, each {@code host:port} with an
     * optional scheme ({@code nats://}, {@code tls://}); without a scheme, {@code nats://}.
     */
    public List<String> middlewareHosts() {
        String v = get(MIDDLEWARE_HOSTS);
        if (v == null || v.isBlank()) {
            throw HoistException.badInput(file + ": " + MIDDLEWARE_HOSTS + " is not set (hoist-cli does not look up SRV records)");
        }
        List<String> out = new ArrayList<>();
        for (String h : v.split(",")) {
            String s = h.strip();
            if (s.isEmpty()) {
                continue;
            }
            Matcher m = HOST_PORT.matcher(s);
            if (!m.matches() || Integer.parseInt(m.group(3)) > 65535) {
                throw HoistException.badInput(file + ": " + MIDDLEWARE_HOSTS + " entry '" + Tags.printable(s) + "' is not host:port");
            }
            String scheme = m.group(1) == null ? "nats" : m.group(1).toLowerCase(Locale.ROOT);
            out.add(scheme + "://" + m.group(2) + ":" + m.group(3));
        }
        if (out.isEmpty()) {
            throw HoistException.badInput(file + ": " + MIDDLEWARE_HOSTS + " lists no hosts");
        }
        return out;
    }

    /** The provider named in the file, lower case, or null when none is. */
    public String provider() {
        String p = get(PROVIDER);
        return p == null || p.isBlank() ? null : p.strip().toLowerCase(Locale.ROOT);
    }

    /** The certificates to connect with; null for a plain connection. */
    public TlsFiles tls() {
        String provider = provider();
        boolean fileKeys = get(FILE_CERT) != null || get(FILE_KEY) != null || get(FILE_CA) != null;
        if ("file".equals(provider) || provider == null && fileKeys) {
            return fileTls();
        }
        if ("puppet".equals(provider) || provider == null) {
            TlsFiles puppet = puppetTls();
            if (!Files.exists(puppet.cert())) {
                throw HoistException.badInput(file + ": the puppet security provider" + (provider == null ? " (Choria's default)" : "")
                        + " expects the client certificate " + puppet.cert() + ", which does not exist; set plugin.security.provider = file "
                        + "with plugin.security.file.*, or give --tls-cert, --tls-key and --tls-ca");
            }
            return puppet;
        }
        throw HoistException.badInput(file + ": " + PROVIDER + " = " + Tags.printable(provider)
                + " is not supported by hoist-cli; give --server with --tls-cert, --tls-key and --tls-ca (or --creds) instead");
    }

    private TlsFiles fileTls() {
        Path cert = path(FILE_CERT);
        Path key = path(FILE_KEY);
        Path ca = path(FILE_CA);
        if (cert == null && key == null && ca == null) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        if (cert == null) {
            missing.add(FILE_CERT);
        }
        if (key == null) {
            missing.add(FILE_KEY);
        }
        if (ca == null) {
            missing.add(FILE_CA);
        }
        if (!missing.isEmpty()) {
            throw HoistException.badInput(file + ": the file security provider needs " + String.join(", ", missing) + " as well");
        }
        return new TlsFiles(cert, key, ca);
    }

    /** Puppet's file layout for the client certificate, without looking at the files. */
    TlsFiles puppetTls() {
        Path ssl = path(SSLDIR);
        String user = env.get("USER");
        if (ssl == null) {
            String home = env.get("HOME");
            if ("root".equals(user) || home == null) {
                ssl = Path.of("/etc/puppetlabs/puppet/ssl");
            } else {
                ssl = Path.of(home, ".puppetlabs", "etc", "puppet", "ssl");
            }
        }
        String certname = env.get("MCOLLECTIVE_CERTNAME");
        if (certname == null || certname.isBlank()) {
            if (user == null || user.isBlank()) {
                throw HoistException.badInput(file + ": the puppet security provider names the client certificate after $USER, which is not set; set MCOLLECTIVE_CERTNAME or use --tls-cert, --tls-key and --tls-ca");
            }
            certname = user + ".mcollective";
        }
        return new TlsFiles(ssl.resolve("certs").resolve(certname + ".pem"),
                ssl.resolve("private_keys").resolve(certname + ".pem"),
                ssl.resolve("certs").resolve("ca.pem"));
    }

    private Path path(String key) {
        String v = get(key);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.startsWith("~")) {
            String home = env.get("HOME");
            if (home == null) {
                throw HoistException.badInput(file + ": " + key + " starts with ~ but HOME is not set");
            }
            v = home + v.substring(1);
        }
        return Path.of(v);
    }
}
