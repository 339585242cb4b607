package io.choria.hoist.lifecycle;

import io.choria.hoist.spec.HealthSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The probes of a {@link HealthSpec}, run from the host: an HTTP GET answering the expected
 * status, a TCP connect. Plain sockets and HTTP/1.0, so check's lean path stays lean.
 */
public final class Probes {
    static final int TIMEOUT_MILLIS = 2000;

    private Probes() {
    }

    /** Why the probes fail, or empty when they all pass (or there are none). */
    public static Optional<String> failure(HealthSpec health) {
        if (health.httpUrl() != null) {
            Optional<String> f = http(health.httpUrl(), health.httpStatus());
            if (f.isPresent()) {
                return f;
            }
        }
        if (health.tcpHost() != null) {
            return tcp(health.tcpHost(), health.tcpPort());
        }
        return Optional.empty();
    }

    static Optional<String> http(String url, int expected) {
        URI uri = URI.create(url);
        String host = uri.getHost().replace("[", "").replace("]", "");
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, uri.getPort()), TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUser-Agent: hoist-cli\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = firstLine(s.getInputStream());
            // HTTP/1.x CODE REASON
            int space = statusLine.indexOf(' ');
            if (space < 0 || !statusLine.startsWith("HTTP/")) {
                return Optional.of("probe " + url + " answered '" + statusLine + "'");
            }
            int end = statusLine.indexOf(' ', space + 1);
            int status = Integer.parseInt(end < 0 ? statusLine.substring(space + 1) : statusLine.substring(space + 1, end));
            return status == expected ? Optional.empty()
                    : Optional.of("probe " + url + " answered " + status + ", expected " + expected);
        } catch (IOException | NumberFormatException e) {
            return Optional.of("probe " + url + " failed: " + describe(e));
        }
    }

    static Optional<String> tcp(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("probe tcp " + host + ":" + port + " failed: " + describe(e));
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && sb.length() < 200) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
