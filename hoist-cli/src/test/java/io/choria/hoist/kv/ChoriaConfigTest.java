package io.choria.hoist.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Choria client configuration: where the broker is and which certificates to use. */
class ChoriaConfigTest {
    static final Path FILE = Path.of("/etc/choria/client.conf");

    static ChoriaConfig parse(Map<String, String> env, String... lines) {
        return ChoriaConfig.parse(FILE, String.join("\n", lines), env);
    }

    static ChoriaConfig parse(String... lines) {
        return parse(Map.of("HOME", "/home/ops", "USER", "ops"), lines);
    }

    @Nested
    class MiddlewareHosts {
        @Test
        void host_port_without_a_scheme_is_nats() {
            assertThat(parse("plugin.choria.middleware_hosts = broker.example.net:4222").middlewareHosts())
                    .containsExactly("nats://broker.example.net:4222");
        }

        @Test
        void a_comma_list_with_spaces_and_schemes() {
            assertThat(parse("plugin.choria.middleware_hosts=b1.example.net:4222 , nats://b2.example.net:4223,tls://10.0.0.3:4222,").middlewareHosts())
                    .containsExactly("nats://b1.example.net:4222", "nats://b2.example.net:4223", "tls://10.0.0.3:4222");
        }

        @Test
        void ipv6_hosts() {
            assertThat(parse("plugin.choria.middleware_hosts = [::1]:4222").middlewareHosts()).containsExactly("nats://[::1]:4222");
        }

        @Test
        void comments_blank_lines_case_and_the_last_value_win() {
            ChoriaConfig c = parse(
                    "# a comment",
                    "",
                    "   plugin.choria.middleware_hosts = old.example.net:4222",
                    "loglevel = warn",
                    "Plugin.Choria.Middleware_Hosts   =   new.example.net:4222   ",
                    "#plugin.choria.middleware_hosts = commented.example.net:4222");
            assertThat(c.middlewareHosts()).containsExactly("nats://new.example.net:4222");
            assertThat(c.get("loglevel")).isEqualTo("warn");
        }

        @Test
        void missing_or_bad_hosts_are_bad_input_naming_the_file() {
            assertThatThrownBy(() -> parse("loglevel = warn").middlewareHosts())
                    .isInstanceOf(HoistException.class)
                    .hasMessage("/etc/choria/client.conf: plugin.choria.middleware_hosts is not set (hoist-cli does not look up SRV records)")
                    .satisfies(e -> assertThat(((HoistException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
            assertThatThrownBy(() -> parse("plugin.choria.middleware_hosts = broker.example.net").middlewareHosts())
                    .hasMessageContaining("entry 'broker.example.net' is not host:port");
            assertThatThrownBy(() -> parse("plugin.choria.middleware_hosts = broker:99999").middlewareHosts())
                    .hasMessageContaining("is not host:port");
            assertThatThrownBy(() -> parse("plugin.choria.middleware_hosts = , ,").middlewareHosts())
                    .hasMessageContaining("lists no hosts");
        }
    }

    @Nested
    class FileProvider {
        @Test
        void takes_the_three_files() {
            TlsFiles tls = parse(
                    "plugin.security.provider = file",
                    "plugin.security.file.certificate = /etc/choria/ssl/cert.pem",
                    "plugin.security.file.key = /etc/choria/ssl/key.pem",
                    "plugin.security.file.ca = /etc/choria/ssl/ca.pem").tls();
            assertThat(tls).isEqualTo(new TlsFiles(Path.of("/etc/choria/ssl/cert.pem"), Path.of("/etc/choria/ssl/key.pem"), Path.of("/etc/choria/ssl/ca.pem")));
        }

        @Test
        void expands_a_leading_tilde_from_HOME() {
            TlsFiles tls = parse(
                    "plugin.security.file.certificate = ~/.choria/cert.pem",
                    "plugin.security.file.key = ~/.choria/key.pem",
                    "plugin.security.file.ca = ~/.choria/ca.pem").tls();
            assertThat(tls.cert()).isEqualTo(Path.of("/home/ops/.choria/cert.pem"));
        }

        @Test
        void file_keys_without_a_provider_mean_the_file_provider() {
            assertThat(parse("plugin.security.file.certificate = /c", "plugin.security.file.key = /k", "plugin.security.file.ca = /ca").tls())
                    .isEqualTo(new TlsFiles(Path.of("/c"), Path.of("/k"), Path.of("/ca")));
        }

        @Test
        void without_any_file_the_connection_is_plain() {
            assertThat(parse("plugin.security.provider = file").tls()).isNull();
        }

        @Test
        void some_files_but_not_all_is_bad_input() {
            assertThatThrownBy(() -> parse("plugin.security.provider = file", "plugin.security.file.certificate = /c").tls())
                    .isInstanceOf(HoistException.class)
                    .hasMessageContaining("needs plugin.security.file.key, plugin.security.file.ca as well");
        }
    }

    @Nested
    class PuppetProvider {
        @Test
        void a_user_uses_their_own_ssl_folder_and_USER_mcollective() {
            TlsFiles tls = parse(Map.of("HOME", "/home/ops", "USER", "ops"), "plugin.security.provider = puppet").puppetTls();
            assertThat(tls).isEqualTo(new TlsFiles(
                    Path.of("/home/ops/.puppetlabs/etc/puppet/ssl/certs/ops.mcollective.pem"),
                    Path.of("/home/ops/.puppetlabs/etc/puppet/ssl/private_keys/ops.mcollective.pem"),
                    Path.of("/home/ops/.puppetlabs/etc/puppet/ssl/certs/ca.pem")));
        }

        @Test
        void root_uses_puppets_ssl_folder() {
            TlsFiles tls = parse(Map.of("HOME", "/root", "USER", "root")).puppetTls();
            assertThat(tls.cert()).isEqualTo(Path.of("/etc/puppetlabs/puppet/ssl/certs/root.mcollective.pem"));
        }

        @Test
        void ssldir_and_MCOLLECTIVE_CERTNAME_override() {
            Map<String, String> env = new HashMap<>(Map.of("HOME", "/home/ops", "USER", "ops", "MCOLLECTIVE_CERTNAME", "deployer.mcollective"));
            TlsFiles tls = parse(env, "plugin.security.provider = puppet", "plugin.choria.ssldir = /srv/ssl").puppetTls();
            assertThat(tls).isEqualTo(new TlsFiles(Path.of("/srv/ssl/certs/deployer.mcollective.pem"),
                    Path.of("/srv/ssl/private_keys/deployer.mcollective.pem"), Path.of("/srv/ssl/certs/ca.pem")));
        }

        @Test
        void is_choria_s_default_and_says_so_when_the_certificate_is_missing() {
            assertThatThrownBy(() -> parse(Map.of("HOME", "/nonexistent", "USER", "ops"), "plugin.choria.middleware_hosts = b:4222").tls())
                    .isInstanceOf(HoistException.class)
                    .hasMessage("/etc/choria/client.conf: the puppet security provider (Choria's default) expects the client certificate "
                            + "/nonexistent/.puppetlabs/etc/puppet/ssl/certs/ops.mcollective.pem, which does not exist; set "
                            + "plugin.security.provider = file with plugin.security.file.*, or give --tls-cert, --tls-key and --tls-ca");
        }

        @Test
        void without_USER_or_MCOLLECTIVE_CERTNAME_is_bad_input() {
            assertThatThrownBy(() -> parse(Map.of(), "plugin.security.provider = puppet").tls())
                    .hasMessageContaining("$USER, which is not set");
        }
    }

    @Test
    void other_providers_are_refused_with_what_to_do_instead() {
        assertThatThrownBy(() -> parse("plugin.security.provider = certmanager").tls())
                .isInstanceOf(HoistException.class)
                .hasMessageContaining("plugin.security.provider = certmanager is not supported by hoist-cli")
                .hasMessageContaining("--tls-cert");
        assertThat(parse("plugin.security.provider = File").provider()).isEqualTo("file");
    }

    @Test
    void read_reports_a_missing_file() {
        assertThatThrownBy(() -> ChoriaConfig.read(Path.of("/nonexistent/client.conf"), Map.of()))
                .isInstanceOf(HoistException.class)
                .hasMessage("cannot read the Choria configuration /nonexistent/client.conf: no such file");
    }
}
