package io.choria.hoist.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

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
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }
}
