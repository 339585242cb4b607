package io.choria.hoist.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAuthTest {
    @TempDir Path tmp;

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void reads_auth_and_username_password_entries_by_registry_host() {
        Map<String, Credentials> m = RegistryAuth.parse("{\"auths\": {"
                + "\"https://index.docker.io/v1/\": {\"auth\": \"" + b64("hub:p:w") + "\"},"
                + "\"reg.example.com:5000\": {\"username\": \"u\", \"password\": \"pw\"},"
                + "\"http://127.0.0.1:5443/v2/\": {\"auth\": \"" + b64("a:b") + "\", \"email\": \"x\"}}}", "f");
        assertThat(m.get("docker.io")).isEqualTo(new Credentials("docker.io", "hub", "p:w"));
        assertThat(m.get("reg.example.com:5000")).isEqualTo(new Credentials("reg.example.com:5000", "u", "pw"));
        assertThat(m.get("127.0.0.1:5443").username()).isEqualTo("a");
    }

    @Test
    void messages_and_to_string_never_show_a_value() {
        assertThat(new Credentials("r", "u", "topsecret").toString()).doesNotContain("topsecret");
        for (String bad : new String[] {
            "{\"auths\": {\"r\": {\"auth\": \"topsecret!!\"}}}",
            "{\"auths\": {\"r\": {\"auth\": \"" + b64("topsecret") + "\"}}}",
            "{\"auths\": {\"r\": {\"password\": \"topsecret\"}}}",
            "{\"auths\": {\"r\": \"topsecret\"}}",
            "{\"auths\": [\"topsecret\"]}",
            "topsecret"}) {
            assertThatThrownBy(() -> RegistryAuth.parse(bad, "FILE"))
                    .isInstanceOfSatisfying(HoistException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
                        assertThat(e.getMessage()).contains("FILE").doesNotContain("topsecret").doesNotContain(b64("topsecret"));
                    });
        }
    }

    @Test
    void a_file_every_user_may_read_is_refused_a_missing_one_is_no_credentials() throws Exception {
        Path f = tmp.resolve("auth.json");
        assertThat(new RegistryAuth(f).forImage("reg.example.com:5000/a/b")).isEmpty();
        Files.writeString(f, "{\"auths\": {\"reg.example.com:5000\": {\"username\": \"u\", \"password\": \"pw\"}}}");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new RegistryAuth(f).forImage("reg.example.com:5000/a/b"))
                .isInstanceOfSatisfying(HoistException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
                    assertThat(e.getMessage()).isEqualTo("registry auth file " + f + " is readable by every user (mode 0644);"
                            + " it holds passwords: chmod 600 it (hoist-cli refuses to use it until then)");
                });
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(new RegistryAuth(f).forImage("reg.example.com:5000/a/b")).contains(new Credentials("reg.example.com:5000", "u", "pw"));
        assertThat(new RegistryAuth(f).forImage("other.example.com/a/b")).isEmpty();
    }

    @Test
    void image_names_as_docker_reads_them() {
        assertThat(ImageName.of("nginx")).isEqualTo(new ImageName("docker.io", "library/nginx"));
        assertThat(ImageName.of("team/app")).isEqualTo(new ImageName("docker.io", "team/app"));
        assertThat(ImageName.of("localhost/app")).isEqualTo(new ImageName("localhost", "app"));
        assertThat(ImageName.of("127.0.0.1:5000/hoist/web")).isEqualTo(new ImageName("127.0.0.1:5000", "hoist/web"));
        assertThat(ImageName.of("127.0.0.1:5000/hoist/web").loopback()).isTrue();
        assertThat(ImageName.of("localhost:5000/x").loopback()).isTrue();
        assertThat(ImageName.of("reg.example.com:5000/x").loopback()).isFalse();
        assertThat(ImageName.of("nginx").apiHost()).isEqualTo("registry-1.docker.io");
    }
}
