package io.choria.hoist.registry;

/**
 * A registry login from the registry auth file. Its {@link #toString()} never shows the password,
 * so that no message, log line or exception can carry it by accident.
 *
 * @param registry the auth file's key it came from (for messages)
 */
public record Credentials(String registry, String username, String password) {
    @Override
    public String toString() {
        return "Credentials[" + registry + ", user " + username + ", password ***]";
    }

    /** {@code Basic base64(user:password)}, the HTTP Authorization value. */
    String basic() {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
