package io.choria.hoist.docker;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.spec.Tags;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Docker Engine hoist-cli talks to and the Engine API version it speaks there, chosen once per
 * process from the Engine's {@code GET /version} (see {@link #negotiate}). The Engine is Docker, or
 * Podman serving the Docker Engine API ({@code podman system service}), which its {@code /version}
 * names among its components ({@link #PODMAN_COMPONENT}).
 *
 * @param engineName {@code Docker} or {@code Podman}
 * @param engineVersion the Engine's release, e.g. {@code 26.1.5} (Podman's: {@code 4.3.1})
 * @param apiVersion the API version hoist-cli uses, e.g. {@code 1.44}: every request goes to {@code /v1.44/...}
 * @param engineApiVersion the highest API version the Engine speaks
 * @param engineMinApiVersion the lowest API version the Engine accepts, or null when it does not say
 */
public record EngineApi(String engineName, String engineVersion, String apiVersion, String engineApiVersion, String engineMinApiVersion) {

    /**
     * The API version hoist-cli is written for: the highest that docker-java 3.4 models, and the
     * lowest that Docker 29 accepts. Hoist is tested with Docker 20.10 (API 1.41) and 26 (API 1.45).
     */
    public static final String CLIENT_API = "1.44";

    /** The component a Podman service lists in its {@code /version} ({@code Components[].Name}). */
    public static final String PODMAN_COMPONENT = "Podman Engine";

    /** {@code Podman} when the Engine's {@code /version} lists {@link #PODMAN_COMPONENT} among its components, else {@code Docker}. */
    public static String engineName(Collection<String> componentNames) {
        return componentNames != null && componentNames.contains(PODMAN_COMPONENT) ? "Podman" : "Docker";
    }

    private static final Pattern VERSION = Pattern.compile("^(\\d{1,4})\\.(\\d{1,4})$");

    /**
     * Which API version to speak, as the docker CLI chooses it: hoist-cli's own ({@link #CLIENT_API}),
     * lowered to the Engine's highest when the Engine is older (Docker 20.10 speaks 1.41), raised to
     * the Engine's lowest when the Engine no longer accepts {@link #CLIENT_API} (an Engine newer than
     * any Hoist was tested with: its oldest API is the one closest to what Hoist knows).
     */
    public static EngineApi negotiate(String engineVersion, String engineApiVersion, String engineMinApiVersion) {
        return negotiate("Docker", engineVersion, engineApiVersion, engineMinApiVersion);
    }

    /** As {@link #negotiate(String, String, String)}, for the Engine named {@code engineName} (Docker or Podman). */
    public static EngineApi negotiate(String engineName, String engineVersion, String engineApiVersion, String engineMinApiVersion) {
        if (engineApiVersion == null || !VERSION.matcher(engineApiVersion).matches()) {
            throw new HoistException(ExitCode.DOCKER_UNREACHABLE, "the Docker Engine did not say which API version it speaks (ApiVersion "
                    + Tags.printable(String.valueOf(engineApiVersion)) + ")");
        }
        String min = engineMinApiVersion != null && VERSION.matcher(engineMinApiVersion).matches() ? engineMinApiVersion : null;
        String use = compare(CLIENT_API, engineApiVersion) > 0 ? engineApiVersion : CLIENT_API;
        if (min != null && compare(use, min) < 0) {
            use = min;
        }
        return new EngineApi(engineName, engineVersion, use, engineApiVersion, min);
    }

    /** Compares two API versions (MAJOR.MINOR) as numbers: 1.9 is older than 1.41. */
    static int compare(String a, String b) {
        Matcher x = VERSION.matcher(a);
        Matcher y = VERSION.matcher(b);
        if (!x.matches() || !y.matches()) {
            throw new IllegalArgumentException("not an API version: " + a + ", " + b);
        }
        int major = Integer.compare(Integer.parseInt(x.group(1)), Integer.parseInt(y.group(1)));
        return major != 0 ? major : Integer.compare(Integer.parseInt(x.group(2)), Integer.parseInt(y.group(2)));
    }

    /** The path prefix of every request: {@code /v1.44}. */
    public String pathPrefix() {
        return "/v" + apiVersion;
    }

    /** True when the Engine is Podman's Docker-compatible service. */
    public boolean podman() {
        return "Podman".equals(engineName);
    }

    /** One line for people: {@code Docker 26.1.5, API 1.44 (the Engine speaks 1.24 to 1.45)}, or {@code Podman 4.3.1, API 1.41 (...)}. */
    public String describe() {
        return engineName + " " + engineVersion + ", API " + apiVersion + " (the Engine speaks "
                + (engineMinApiVersion == null ? "up to " : engineMinApiVersion + " to ") + engineApiVersion + ")";
    }
}
