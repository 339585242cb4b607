package io.choria.hoist.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A published port as {@code docker run -p [IP:]HOST:CONTAINER[/PROTO]} means it. */
public record PortSpec(String hostIp, int hostPort, int containerPort, String protocol) {
    private static final Pattern FORM = Pattern.compile(
            "^(?:(\\d{1,3}(?:\\.\\d{1,3}){3}|\\[[0-9a-fA-F:]+\\]):)?(\\d{1,5}):(\\d{1,5})(?:/(tcp|udp|sctp))?$");

    public static PortSpec parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("expects [IP:]HOSTPORT:CONTAINERPORT[/tcp|/udp|/sctp], got '" + Tags.printable(text) + "'");
        }
        int host = port(m.group(2), text);
        int container = port(m.group(3), text);
        String ip = m.group(1);
        if (ip != null && ip.startsWith("[")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        return new PortSpec(ip, host, container, m.group(4) == null ? "tcp" : m.group(4));
    }

    private static int port(String digits, String text) {
        int p = Integer.parseInt(digits);
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is outside 1-65535 in '" + Tags.printable(text) + "'");
        }
        return p;
    }

    @Override
    public String toString() {
        return (hostIp == null ? "" : hostIp + ":") + hostPort + ":" + containerPort + "/" + protocol;
    }
}
