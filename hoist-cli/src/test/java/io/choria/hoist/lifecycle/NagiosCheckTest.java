package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.docker.ManagedContainer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NagiosCheckTest {
    static ManagedContainer started(String startedAt) {
        return new ManagedContainer("id", "web", "running", "sha256:1", "example/web:v1", "h", "none", startedAt, 0, List.of(), Map.of());
    }

    @Test
    void the_text_holds_no_pipe_and_no_line_break_so_choria_parses_the_perfdata() {
        NagiosCheck.Report r = NagiosCheck.report(NagiosCheck.CRITICAL, "probe http://x/a|b failed:\nreset", "restarts=0 uptime=0s health_ms=0");
        assertThat(r.line()).isEqualTo("CRITICAL - probe http://x/a/b failed: reset | restarts=0 uptime=0s health_ms=0");
        assertThat(r.line().chars().filter(c -> c == '|').count()).isEqualTo(1);
        assertThat(r.status()).isEqualTo(2);
    }

    @Test
    void unknown_has_no_perfdata() {
        assertThat(NagiosCheck.unknown("hoist-cli: no").line()).isEqualTo("UNKNOWN - hoist-cli: no");
        assertThat(NagiosCheck.unknown("x").status()).isEqualTo(3);
    }

    @Test
    void uptime_from_docker_start_time() {
        Instant now = Instant.parse("2026-12-03T04:00:00Z");
        assertThat(NagiosCheck.uptimeSeconds(started("2026-12-03T03:59:18.123456789Z"), now)).isEqualTo(41);
        assertThat(NagiosCheck.uptimeSeconds(started("0001-01-01T00:00:00Z"), now)).isZero();
        assertThat(NagiosCheck.uptimeSeconds(started(null), now)).isZero();
        assertThat(NagiosCheck.uptimeSeconds(started("yesterday"), now)).isZero();
    }
}
