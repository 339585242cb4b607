package io.choria.hoist.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.HoistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which broker hoist-cli connects to, and with what. */
class ConnectionSettingsTest {
    static final TlsFiles NO_TLS = new TlsFiles(null, null, null);

    @TempDir Path dir;

    Path config(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines));
    }

    static ConnectionSettings.Request request(List<String> servers, TlsFiles tls, Path choriaConfig) {
        return new ConnectionSettings.Request(servers, null, tls, choriaConfig);
    }

    @Test
    void server_flag_first() throws IOException {
        Path conf = config("client.conf", "plugin.choria.middleware_hosts = conf.example.net:4222");
        ConnectionSettings s = ConnectionSettings.resolve(request(List.of("flag.example.net:4222"), NO_TLS, null),
                Map.of("HOIST_NATS_URL", "nats://env.example.net:4222"), List.of(conf));
        assertThat(s.servers()).containsExactly("nats://flag.example.net:4222");
        assertThat(s.source()).isEqualTo("--server");
        assertThat(s.tls()).isNull();
        assertThat(s.usesTls()).isFalse();
        assertThat(s.connectTimeout()).isEqualTo(ConnectionSettings.CONNECT_TIMEOUT);
    }

    @Test
    void an_explicit_choria_config_before_HOIST_NATS_URL() throws IOException {
        Path conf = config("mine.conf", "plugin.choria.middleware_hosts = conf.example.net:4222", "plugin.security.provider = file");
        ConnectionSettings s = ConnectionSettings.resolve(request(null, NO_TLS, conf),
                Map.of("HOIST_NATS_URL", "nats://env.example.net:4222"), List.of());
        assertThat(s.servers()).containsExactly("nats://conf.example.net:4222");
        assertThat(s.source()).isEqualTo(conf.toString());
    }

    @Test
    void HOIST_NATS_URL_before_the_default_configs_which_are_then_not_read() throws IOException {
        Path conf = config("client.conf", "plugin.security.provider = pkcs11");
        ConnectionSettings s = ConnectionSettings.resolve(request(null, NO_TLS, null),
                Map.of("HOIST_NATS_URL", "nats://a:4222,b:4223"), List.of(conf));
        assertThat(s.servers()).containsExactly("nats://a:4222", "nats://b:4223");
        assertThat(s.source()).isEqualTo("HOIST_NATS_URL");
    }

    @Test
    void the_first_default_config_that_exists() throws IOException {
        Path second = config("client.conf", "plugin.choria.middleware_hosts = tls://second.example.net:4222",
                "plugin.security.provider = file",
                "plugin.security.file.certificate = /c.pem", "plugin.security.file.key = /k.pem", "plugin.security.file.ca = /ca.pem");
        ConnectionSettings s = ConnectionSettings.resolve(request(null, NO_TLS, null), Map.of(),
                List.of(dir.resolve("missing.conf"), second));
        assertThat(s.servers()).containsExactly("tls://second.example.net:4222");
        assertThat(s.tls()).isEqualTo(new TlsFiles(Path.of("/c.pem"), Path.of("/k.pem"), Path.of("/ca.pem")));
        assertThat(s.usesTls()).isTrue();
    }

    @Test
    void tls_flags_replace_the_files_a_config_names() throws IOException {
        Path conf = config("c.conf", "plugin.choria.middleware_hosts = b:4222",
                "plugin.security.file.certificate = /c.pem", "plugin.security.file.key = /k.pem", "plugin.security.file.ca = /ca.pem");
        ConnectionSettings s = ConnectionSettings.resolve(request(null, new TlsFiles(null, null, Path.of("/other-ca.pem")), conf), Map.of(), List.of());
        assertThat(s.tls()).isEqualTo(new TlsFiles(Path.of("/c.pem"), Path.of("/k.pem"), Path.of("/other-ca.pem")));
    }

    @Test
    void all_three_tls_flags_spare_reading_the_configs_provider() throws IOException {
        Path conf = config("c.conf", "plugin.choria.middleware_hosts = b:4222", "plugin.security.provider = pkcs11");
        TlsFiles flags = new TlsFiles(Path.of("/c.pem"), Path.of("/k.pem"), Path.of("/ca.pem"));
        assertThat(ConnectionSettings.resolve(request(null, flags, conf), Map.of(), List.of()).tls()).isEqualTo(flags);
    }

    @Test
    void a_server_flag_with_an_explicit_config_keeps_the_configs_certificates() throws IOException {
        Path conf = config("c.conf", "plugin.choria.middleware_hosts = b:4222",
                "plugin.security.file.certificate = /c.pem", "plugin.security.file.key = /k.pem", "plugin.security.file.ca = /ca.pem");
        ConnectionSettings s = ConnectionSettings.resolve(request(List.of("other:4222"), NO_TLS, conf), Map.of(), List.of());
        assertThat(s.servers()).containsExactly("nats://other:4222");
        assertThat(s.tls().cert()).isEqualTo(Path.of("/c.pem"));
    }

    @Test
    void a_tls_url_uses_tls_without_files() {
        ConnectionSettings s = ConnectionSettings.resolve(request(List.of("tls://b:4222"), NO_TLS, null), Map.of(), List.of());
        assertThat(s.tls()).isNull();
        assertThat(s.usesTls()).isTrue();
    }

    @Test
    void nothing_to_connect_to_is_bad_input_saying_what_to_give() {
        assertThatThrownBy(() -> ConnectionSettings.resolve(request(null, NO_TLS, null), Map.of(), List.of(dir.resolve("client.conf"))))
                .isInstanceOf(HoistException.class)
                .hasMessageStartingWith("no NATS server to connect to: give --server URL, set HOIST_NATS_URL, or give --choria-config FILE")
                .hasMessageContaining(dir.resolve("client.conf").toString());
    }

    @Test
    void a_certificate_without_its_key_is_bad_input() {
        assertThatThrownBy(() -> ConnectionSettings.resolve(request(List.of("b:4222"), new TlsFiles(Path.of("/c.pem"), null, null), null), Map.of(), List.of()))
                .hasMessageContaining("give both --tls-cert and --tls-key");
    }

    @Test
    void urls_must_be_nats_or_tls_with_a_host() {
        for (String bad : List.of("http://b:4222", "nats://", "ws://b:80", "b:4222/x y")) {
            assertThatThrownBy(() -> ConnectionSettings.resolve(request(List.of(bad), NO_TLS, null), Map.of(), List.of()))
                    .as(bad).isInstanceOf(HoistException.class).hasMessageContaining("is not a NATS URL");
        }
    }

    @Test
    void default_configs_expand_home() {
        assertThat(ConnectionFlags.defaultChoriaConfigs(Map.of("HOME", "/home/ops")))
                .containsExactly(Path.of("/home/ops/.choriarc"), Path.of("/etc/choria/client.conf"), Path.of("/usr/local/etc/choria/client.conf"));
        assertThat(ConnectionFlags.defaultChoriaConfigs(Map.of()))
                .containsExactly(Path.of("/etc/choria/client.conf"), Path.of("/usr/local/etc/choria/client.conf"));
    }
}
