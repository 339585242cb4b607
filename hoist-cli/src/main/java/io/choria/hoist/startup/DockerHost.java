package io.choria.hoist.startup;

/**
 * The Docker endpoints hoist-cli takes ({@code --docker-host}, {@code DOCKER_HOST}), matched by hand
 * rather than by {@link #HOST} (DockerHostTest holds the two equal), and which of them the lean
 * Engine client ({@link EngineHttp}) can speak to.
 */
public final class DockerHost {
    /** The endpoints hoist-cli takes, as an expression: unix:///PATH or tcp://HOST[:PORT]. */
    public static final String HOST = "^(unix://(/\\S+)|tcp://[^\\s/:]+(:[0-9]{1,5})?/?)$";

    private DockerHost() {
    }

    /** Whether {@code s} matches {@link #HOST}. */
    public static boolean valid(String s) {
        int n = s.length();
        if (s.startsWith("unix://")) {
            if (n < 9 || s.charAt(7) != '/') {
                return false;
            }
            for (int i = 8; i < n; i++) {
                if (blank(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }
        if (!s.startsWith("tcp://")) {
            return false;
        }
        int i = 6;
        while (i < n && !blank(s.charAt(i)) && s.charAt(i) != '/' && s.charAt(i) != ':') {
            i++;
        }
        if (i == 6) {
            return false;
        }
        if (i < n && s.charAt(i) == ':') {
            int digits = ++i;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
            }
            if (i - digits < 1 || i - digits > 5) {
                return false;
            }
        }
        if (i < n && s.charAt(i) == '/') {
            i++;
        }
        return i == n;
    }

    /** True when the lean client can talk to the endpoint: plain unix or tcp, no TLS ({@code DOCKER_TLS_VERIFY} unset, empty or 0). */
    public static boolean lean(String host, String tlsVerify) {
        boolean tls = tlsVerify != null && !tlsVerify.isEmpty() && !"0".equals(tlsVerify);
        return !tls && (host.startsWith("unix://") || host.startsWith("tcp://"));
    }

    /** {@code \s} of Java's expressions: tab, LF, VT, FF, CR and space. */
    private static boolean blank(char c) {
        return c >= '\t' && c <= '\r' || c == ' ';
    }
}
