package io.choria.hoist.spec;

/** A published port as {@code docker run -p [IP:]HOST:CONTAINER[/PROTO]} means it. */
public record PortSpec(String hostIp, int hostPort, int containerPort, String protocol) {

    /** Parses a port that {@link SpecParser#PORTS} describes; anything else is an IllegalArgumentException. */
    public static PortSpec parse(String text) {
        if (!SpecParser.PORTS.matches(text)) {
            throw new IllegalArgumentException("expects [IP:]HOSTPORT:CONTAINERPORT[/tcp|/udp|/sctp] with ports 1-65535 and IP an IPv4"
                    + " or a bracketed IPv6 address, got '" + Tags.printable(text) + "'");
        }
        int slash = text.indexOf('/');
        String protocol = slash < 0 ? "tcp" : text.substring(slash + 1);
        String rest = slash < 0 ? text : text.substring(0, slash);
        int last = rest.lastIndexOf(':');
        int container = Integer.parseInt(rest.substring(last + 1));
        rest = rest.substring(0, last);
        last = rest.lastIndexOf(':');
        int host = Integer.parseInt(rest.substring(last + 1));
        String ip = last < 0 ? null : rest.substring(0, last);
        if (ip != null && ip.startsWith("[")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        return new PortSpec(ip, host, container, protocol);
    }

    @Override
    public String toString() {
        return (hostIp == null ? "" : hostIp + ":") + hostPort + ":" + containerPort + "/" + protocol;
    }
}
