package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which Engine API version hoist-cli speaks, given what the Engine's GET /version says. */
class EngineApiTest {

    @ParameterizedTest(name = "Engine {0} (API {1}, min {2}) -> {3}")
    @CsvSource(nullValues = "null", value = {
            // engine, its API, its minimum, what hoist-cli speaks
            "20.10.24, 1.41, 1.12, 1.41",   // Debian 12: older than hoist-cli's version, so its own
            "24.0.9,   1.43, 1.12, 1.43",
            "25.0.5,   1.44, 1.24, 1.44",
            "26.1.5,   1.45, 1.24, 1.44",   // Debian 13: newer, so hoist-cli's own
            "29.0.0,   1.52, 1.44, 1.44",   // Docker 29 refuses anything below 1.44
            "35.0.0,   1.60, 1.50, 1.50",   // an Engine that refuses 1.44: its lowest, not a refused request
            "20.10.24, 1.41, null, 1.41",   // no MinAPIVersion (old Engines): no lower bound
            "x,        1.9,  null, 1.9",    // versions compare as numbers: 1.9 is older than 1.44
            "x,        1.100, 1.12, 1.44",
            "x,        1.44, garbage, 1.44",
    })
    void speaks_its_own_version_bounded_by_what_the_engine_accepts(String engine, String max, String min, String expected) {
        EngineApi api = EngineApi.negotiate(engine, max, min);
        assertThat(api.apiVersion()).isEqualTo(expected);
        assertThat(api.pathPrefix()).isEqualTo("/v" + expected);
        assertThat(api.engineVersion()).isEqualTo(engine);
        assertThat(api.engineApiVersion()).isEqualTo(max);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null", "''", "1", "v1.44", "1.44.0", "1.44; rm"})
    void an_engine_that_names_no_api_version_is_exit_3(String max) {
        assertThatThrownBy(() -> EngineApi.negotiate("1.0", max, null)).isInstanceOfSatisfying(HoistException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.DOCKER_UNREACHABLE);
            assertThat(e.getMessage()).startsWith("the Docker Engine did not say which API version it speaks");
        });
    }

    @ParameterizedTest
    @CsvSource({
            "1.44, 1.44, 0",
            "1.9,  1.44, -1",
            "1.45, 1.44, 1",
            "2.0,  1.99, 1",
    })
    void compares_versions_as_numbers(String a, String b, int sign) {
        assertThat(Integer.signum(EngineApi.compare(a, b))).isEqualTo(sign);
    }

    @org.junit.jupiter.api.Test
    void describes_itself_in_one_line() {
        assertThat(EngineApi.negotiate("26.1.5", "1.45", "1.24").describe())
                .isEqualTo("Docker 26.1.5, API 1.44 (the Engine speaks 1.24 to 1.45)");
        assertThat(EngineApi.negotiate("20.10.5", "1.41", null).describe())
                .isEqualTo("Docker 20.10.5, API 1.41 (the Engine speaks up to 1.41)");
    }

    @org.junit.jupiter.api.Test
    void names_podman_when_its_version_lists_the_podman_component() {
        // Podman 4.3's GET /version: Version 4.3.1, ApiVersion 1.41, MinAPIVersion 1.24, Components[0].Name "Podman Engine"
        EngineApi podman = EngineApi.negotiate(EngineApi.engineName(List.of("Podman Engine", "Conmon", "OCI Runtime (runc)")),
                "4.3.1", "1.41", "1.24");
        assertThat(podman.podman()).isTrue();
        assertThat(podman.describe()).isEqualTo("Podman 4.3.1, API 1.41 (the Engine speaks 1.24 to 1.41)");
        // Docker 20.10 lists Engine, containerd, runc, docker-init; old Engines list none
        assertThat(EngineApi.engineName(List.of("Engine", "containerd", "runc", "docker-init"))).isEqualTo("Docker");
        assertThat(EngineApi.engineName(List.of())).isEqualTo("Docker");
        assertThat(EngineApi.engineName(null)).isEqualTo("Docker");
        assertThat(EngineApi.negotiate("26.1.5", "1.45", "1.24").podman()).isFalse();
    }
}
