package io.choria.hoist.registry;

/**
 * Where an image lives, as Docker reads a reference: the registry host (the first path component
 * when it holds a dot or a port or is {@code localhost}, else Docker Hub) and the repository path
 * in that registry (Docker Hub's single-component names are {@code library/NAME}).
 *
 * @param host the registry as Docker names it, e.g. {@code registry.example.com:5000} or {@code docker.io}
 * @param path the repository in the registry, e.g. {@code team/app} or {@code library/nginx}
 */
public record ImageName(String host, String path) {
    public static final String DOCKER_HUB = "docker.io";
    /** Where Docker Hub's registry API answers. */
    static final String DOCKER_HUB_API = "registry-1.docker.io";

    /** The registry and repository of an image name without tag or digest (a spec's {@code image}). */
    public static ImageName of(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return new ImageName(first, image.substring(slash + 1));
            }
            return new ImageName(DOCKER_HUB, image);
        }
        return new ImageName(DOCKER_HUB, "library/" + image);
    }

    /** The host the registry API is asked at. */
    public String apiHost() {
        return DOCKER_HUB.equals(host) ? DOCKER_HUB_API : host;
    }

    /** Whether the registry is on a loopback address, which Docker treats as an insecure registry by default. */
    public boolean loopback() {
        String h = host;
        if (h.startsWith("[")) {
            h = h.substring(1, h.indexOf(']') < 0 ? h.length() : h.indexOf(']'));
        } else if (h.lastIndexOf(':') > 0) {
            h = h.substring(0, h.lastIndexOf(':'));
        }
        return h.equals("localhost") || h.equals("::1") || h.matches("^127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}$");
    }
}
