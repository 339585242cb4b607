package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec means what docker run's flags mean: checked on docker-java's own create command. */
class ContainerMappingTest {
    static ContainerSpec spec(String extra) {
        return SpecParser.parse("{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\"" + extra + "}", "test");
    }

    static CreateContainerCmd created(ContainerSpec spec) {
        ContainerPlan plan = ContainerPlan.of(spec, spec.imageTag());
        CreateContainerCmd cmd = new CreateContainerCmdImpl(mock(CreateContainerCmd.Exec.class), null, plan.imageRef());
        DockerJavaEngine.apply(plan, cmd);
        return cmd;
    }

    @Test
    void maps_ports_like_docker_run_p() {
        CreateContainerCmd cmd = created(spec(", \"ports\": [\"8080:80\", \"127.0.0.1:5353:53/udp\"]"));
        Map<ExposedPort, Ports.Binding[]> b = cmd.getHostConfig().getPortBindings().getBindings();
        assertThat(b.get(ExposedPort.tcp(80))).containsExactly(Ports.Binding.bindPort(8080));
        assertThat(b.get(ExposedPort.udp(53))).containsExactly(Ports.Binding.bindIpAndPort("127.0.0.1", 5353));
        assertThat(cmd.getExposedPorts()).containsExactly(ExposedPort.tcp(80), ExposedPort.udp(53));
    }

    @Test
    void maps_volumes_like_docker_run_v() {
        CreateContainerCmd cmd = created(spec(", \"volumes\": [\"/srv/logs:/logs\", \"/etc/app:/config:ro\"]"));
        Bind[] binds = cmd.getHostConfig().getBinds();
        assertThat(binds).hasSize(2);
        assertThat(binds[0].getPath()).isEqualTo("/srv/logs");
        assertThat(binds[0].getVolume().getPath()).isEqualTo("/logs");
        assertThat(binds[0].getAccessMode()).isEqualTo(AccessMode.rw);
        assertThat(binds[1].getAccessMode()).isEqualTo(AccessMode.ro);
    }

    @Test
    void maps_environment_command_and_entrypoint() {
        CreateContainerCmd cmd = created(spec(", \"environment\": [\"A=1\", \"B=two words\"],"
                + " \"command\": \"httpd -f -p '127.0.0.1:80'\", \"entrypoint\": \"/bin/tini --\""));
        assertThat(cmd.getEnv()).containsExactly("A=1", "B=two words");
        assertThat(cmd.getCmd()).containsExactly("httpd", "-f", "-p", "127.0.0.1:80");
        assertThat(cmd.getEntrypoint()).containsExactly("/bin/tini", "--");
    }

    @Test
    void leaves_the_images_command_and_entrypoint_alone_when_unset() {
        CreateContainerCmd cmd = created(spec(""));
        assertThat(cmd.getCmd()).isNull();
        assertThat(cmd.getEntrypoint()).isNull();
    }

    @Test
    void maps_network_modes_including_bridge() {
        assertThat(created(spec("")).getHostConfig().getNetworkMode()).isEqualTo("bridge");
        assertThat(created(spec(", \"network\": \"host\"")).getHostConfig().getNetworkMode()).isEqualTo("host");
        assertThat(created(spec(", \"network\": \"none\"")).getHostConfig().getNetworkMode()).isEqualTo("none");
    }

    @Test
    void syslog_uses_the_syslog_driver_tagged_with_the_container_name() {
        LogConfig log = created(spec(", \"syslog\": true")).getHostConfig().getLogConfig();
        assertThat(log.getType()).isEqualTo(LogConfig.LoggingType.SYSLOG);
        assertThat(log.getConfig()).containsEntry("tag", "hoist_weather");
        assertThat(created(spec("")).getHostConfig().getLogConfig().getType()).as("daemon default driver").isNull();
    }

    @Test
    void names_and_labels_the_container_and_sets_its_policies() {
        CreateContainerCmd cmd = created(spec(", \"stop_timeout\": 30"));
        assertThat(cmd.getName()).isEqualTo("hoist_weather");
        assertThat(cmd.getImage()).isEqualTo("example/weather:v1");
        assertThat(cmd.getLabels()).containsEntry(Labels.MANAGED, "true").containsEntry(Labels.NAME, "weather")
                .containsEntry(Labels.IMAGE, "example/weather:v1").containsKey(Labels.SPEC_HASH);
        assertThat(cmd.getStopTimeout()).isEqualTo(30);
        assertThat(cmd.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
    }

    @Test
    void the_spec_hash_follows_the_spec_but_not_the_tag() {
        ContainerSpec a = spec(", \"environment\": [\"A=1\"]");
        ContainerSpec b = spec(", \"environment\": [\"A=2\"]");
        assertThat(ContainerPlan.of(a, "v1").specHash()).isEqualTo(ContainerPlan.of(a, "v2").specHash())
                .isNotEqualTo(ContainerPlan.of(b, "v1").specHash());
    }
}
