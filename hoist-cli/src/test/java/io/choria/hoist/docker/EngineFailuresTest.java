package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import org.junit.jupiter.api.Test;

/** What DockerJavaEngine makes of the Engine's error answers: a result, a race for the lifecycle, or exit 3; never a bug. */
class EngineFailuresTest {
    final DockerClient client = mock(DockerClient.class, RETURNS_DEEP_STUBS);
    final DockerJavaEngine engine = new DockerJavaEngine(client, "unix:///test.sock");

    @Test
    void a_500_on_a_read_is_the_engine_failing_exit_3_on_one_line() {
        when(client.listContainersCmd().withShowAll(true).withLabelFilter(any(java.util.Map.class)).exec())
                .thenThrow(new InternalServerErrorException("Status 500: {\"message\":\"write /var/lib/docker: no space left on device\"}\n"));
        assertThatThrownBy(() -> engine.find("web")).isInstanceOfSatisfying(HoistException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.DOCKER_UNREACHABLE);
            assertThat(e.getMessage()).isEqualTo("the Docker Engine answered 500: write /var/lib/docker: no space left on device");
        });
    }

    @Test
    void a_container_gone_is_an_empty_result_and_a_removal_in_progress_goes_to_the_lifecycle() {
        when(client.inspectContainerCmd(anyString()).exec()).thenThrow(new NotFoundException("No such container"));
        assertThat(engine.inspect("abc")).isEmpty();
        when(client.removeContainerCmd(anyString()).withForce(true).exec())
                .thenThrow(new ConflictException("removal of container abc is already in progress"));
        assertThatThrownBy(() -> engine.remove("abc")).isInstanceOf(ConflictException.class);
    }
}
