package io.choria.hoist.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.Mockito.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import io.choria.hoist.spec.ContainerOption;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecFixtures;
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
    void maps_the_full_spec_with_health_command_as_the_docker_healthcheck() {
        ContainerSpec full = SpecParser.parse(SpecFixtures.full(), "specs/full.json");
        CreateContainerCmd cmd = created(full);
        long second = 1_000_000_000L;
        HealthCheck hc = cmd.getHealthcheck();
        assertThat(hc.getTest()).containsExactly("CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/health");
        assertThat(hc.getInterval()).isEqualTo(ContainerPlan.HEALTH_INTERVAL_SECONDS * second);
        assertThat(hc.getTimeout()).isEqualTo(ContainerPlan.HEALTH_TIMEOUT_SECONDS * second);
        assertThat(hc.getRetries()).isEqualTo(ContainerPlan.HEALTH_RETRIES);
        assertThat(hc.getStartPeriod()).as("start_timeout 2m is Docker's start period").isEqualTo(120 * second);

        assertThat(cmd.getName()).isEqualTo("hoist_weather");
        assertThat(cmd.getImage()).isEqualTo("registry.example.com:5000/example/weather:v1");
        assertThat(cmd.getCmd()).containsExactly("sh", "-c", "echo \"hi there\"; exec httpd -f");
        assertThat(cmd.getEntrypoint()).containsExactly("/bin/tini", "--");
        assertThat(cmd.getEnv()).containsExactly("WEATHER_API_KEY=c2..4a", "EMPTY=");
        assertThat(cmd.getHostConfig().getNetworkMode()).isEqualTo("host");
        assertThat(cmd.getHostConfig().getLogConfig().getType()).isEqualTo(LogConfig.LoggingType.SYSLOG);
        assertThat(cmd.getHostConfig().getBinds()).hasSize(2);
        assertThat(cmd.getHostConfig().getPortBindings().getBindings().get(ExposedPort.udp(90)))
                .containsExactly(Ports.Binding.bindIpAndPort("127.0.0.1", 9090));
        assertThat(cmd.getStopTimeout()).isEqualTo(20);
    }

    @Test
    void without_health_command_the_images_own_healthcheck_applies() {
        assertThat(created(spec(", \"health_http\": \"http://127.0.0.1:80/\", \"health_tcp\": \"80\"")).getHealthcheck())
                .as("host-side probes are not a Docker HEALTHCHECK").isNull();
    }

    @Test
    void a_changed_health_command_or_its_start_period_changes_the_spec_hash_but_host_probes_do_not() {
        String base = ContainerPlan.of(spec(", \"health_command\": \"check\""), "v1").specHash();
        assertThat(ContainerPlan.of(spec(", \"health_command\": \"check --deep\""), "v1").specHash()).isNotEqualTo(base);
        assertThat(ContainerPlan.of(spec(", \"health_command\": \"check\", \"start_timeout\": \"2m\""), "v1").specHash()).isNotEqualTo(base);
        String probes = ContainerPlan.of(spec(""), "v1").specHash();
        assertThat(ContainerPlan.of(spec(", \"health_http\": \"http://127.0.0.1:80/\", \"start_timeout\": \"2m\""), "v1").specHash())
                .as("probes run from the host: the container need not be replaced").isEqualTo(probes);
    }

    @Test
    void the_spec_hash_follows_the_spec_but_not_the_tag() {
        ContainerSpec a = spec(", \"environment\": [\"A=1\"]");
        ContainerSpec b = spec(", \"environment\": [\"A=2\"]");
        assertThat(ContainerPlan.of(a, "v1").specHash()).isEqualTo(ContainerPlan.of(a, "v2").specHash())
                .isNotEqualTo(ContainerPlan.of(b, "v1").specHash());
    }

    @Test
    void maps_every_container_option_like_its_docker_run_flag() {
        CreateContainerCmd cmd = created(SpecParser.parse(SpecFixtures.full(), "specs/full.json"));
        HostConfig hc = cmd.getHostConfig();
        assertThat(hc.getMemory()).as("512m").isEqualTo(512L << 20);
        assertThat(hc.getMemoryReservation()).as("256m").isEqualTo(256L << 20);
        assertThat(hc.getMemorySwap()).as("1g").isEqualTo(1L << 30);
        assertThat(hc.getNanoCPUs()).as("cpus 1.5").isEqualTo(1_500_000_000L);
        assertThat(hc.getCpusetCpus()).isEqualTo("0-1");
        assertThat(hc.getPidsLimit()).isEqualTo(200L);
        assertThat(cmd.getUser()).isEqualTo("1000:1000");
        assertThat(hc.getGroupAdd()).containsExactly("audio", "1001");
        assertThat(cmd.getHostName()).isEqualTo("weather-1");
        assertThat(hc.getDns()).containsExactly("192.0.2.53", "2001:db8::53");
        assertThat(hc.getDnsSearch()).containsExactly("example.com");
        assertThat(hc.getExtraHosts()).containsExactly("db:192.0.2.5", "db6:2001:db8::5");
        assertThat(cmd.getLabels()).containsEntry("com.example.team", "weather").containsEntry("note", "a b")
                .containsEntry(Labels.MANAGED, "true").containsEntry(Labels.NAME, "weather");
        assertThat(hc.getLogConfig().getType()).isEqualTo(LogConfig.LoggingType.SYSLOG);
        assertThat(hc.getLogConfig().getConfig()).as("log_opts, and the syslog tag Hoist gives")
                .isEqualTo(Map.of("syslog-facility", "daemon", "tag", "hoist_weather"));
        assertThat(hc.getCapAdd()).containsExactly(Capability.NET_ADMIN, Capability.SYS_TIME);
        assertThat(hc.getCapDrop()).containsExactly(Capability.MKNOD);
        assertThat(hc.getPrivileged()).isTrue();
        assertThat(hc.getReadonlyRootfs()).isTrue();
        assertThat(hc.getTmpFs()).isEqualTo(Map.of("/run", "", "/tmp", "rw,noexec,size=64m"));
        assertThat(hc.getUlimits()).extracting(Ulimit::getName, Ulimit::getSoftLong, Ulimit::getHardLong)
                .containsExactly(tuple("nofile", 1024L, 4096L), tuple("core", 0L, 0L));
        assertThat(hc.getDevices()).extracting(Device::getPathOnHost, Device::getPathInContainer, Device::getcGroupPermissions)
                .containsExactly(tuple("/dev/fuse", "/dev/fuse", "rwm"), tuple("/dev/ttyUSB0", "/dev/modem", "rw"));
        assertThat(cmd.getWorkingDir()).isEqualTo("/srv/weather");
        assertThat(cmd.getStopSignal()).isEqualTo("SIGQUIT");
        assertThat(hc.getInit()).isTrue();
        assertThat(hc.getShmSize()).isEqualTo(128L << 20);
        assertThat(hc.getSysctls()).isEqualTo(Map.of("net.ipv4.ip_unprivileged_port_start", "0", "kernel.msgmax", "65536"));
    }

    /**
     * Each row of ContainerOption sets the Engine API field it names, to the value its form gives, in the
     * create request docker-java sends (its own JSON): checked on specs/full.json, which sets every option,
     * so that a new row is held to its Engine field without a line of its own here.
     */
    @Test
    void each_option_sets_the_engine_field_its_row_names() throws Exception {
        ContainerSpec full = SpecParser.parse(SpecFixtures.full(), "specs/full.json");
        // as docker-java writes the request (ExposedPorts holds empty objects)
        ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        JsonNode sent = json.valueToTree(created(full));
        int checked = 0;
        for (ContainerOption row : ContainerOption.values()) {
            assertThat(full.options().isSet(row)).as("specs/full.json sets " + row.key()).isTrue();
            if (row.sentByPlan()) {
                continue;
            }
            String[] path = row.engine().split("\\.");
            JsonNode node = path[0].equals("HostConfig") ? sent.get("HostConfig").get(path[1]) : sent.get(path[1]);
            assertThat(node).as(row.key() + " sets " + row.engine()).isNotNull();
            assertThat(node).as(row.key() + " -> " + row.engine()).isEqualTo(json.valueToTree(full.options().engineValue(row)));
            checked++;
        }
        assertThat(checked).isEqualTo(ContainerOption.values().length - 3);
    }

    @Test
    void sends_no_option_a_spec_does_not_set() {
        CreateContainerCmd cmd = created(spec(""));
        HostConfig hc = cmd.getHostConfig();
        assertThat(new Object[] {hc.getMemory(), hc.getMemoryReservation(), hc.getMemorySwap(), hc.getNanoCPUs(), hc.getCpusetCpus(), hc.getPidsLimit(),
            cmd.getUser(), hc.getGroupAdd(), cmd.getHostName(), hc.getDns(), hc.getDnsSearch(), hc.getExtraHosts(), hc.getLogConfig().getType(), hc.getLogConfig().getConfig(),
            hc.getCapAdd(), hc.getCapDrop(), hc.getPrivileged(), hc.getReadonlyRootfs(), hc.getTmpFs(), hc.getUlimits(),
            hc.getDevices(), cmd.getWorkingDir(), cmd.getStopSignal(), hc.getInit(), hc.getShmSize(), hc.getSysctls()})
                .containsOnlyNulls();
        assertThat(cmd.getLabels()).containsOnlyKeys(Labels.MANAGED, Labels.NAME, Labels.SPEC_HASH, Labels.IMAGE);
    }

    @Test
    void sizes_are_read_as_docker_run_reads_them_and_cpus_rounded_to_nano_cpus() {
        assertThat(created(spec(", \"memory\": \"1G\"")).getHostConfig().getMemory()).isEqualTo(1L << 30);
        assertThat(created(spec(", \"memory\": \"65536k\"")).getHostConfig().getMemory()).isEqualTo(65536L << 10);
        assertThat(created(spec(", \"memory\": \"6291456\"")).getHostConfig().getMemory()).isEqualTo(6291456L);
        assertThat(created(spec(", \"memory\": \"6291456b\"")).getHostConfig().getMemory()).isEqualTo(6291456L);
        assertThat(created(spec(", \"shm_size\": \"999999999g\"")).getHostConfig().getShmSize()).isEqualTo(999_999_999L << 30);
        assertThat(created(spec(", \"memory\": \"512m\", \"memory_swap\": \"-1\"")).getHostConfig().getMemorySwap())
                .as("-1: swap without limit").isEqualTo(-1L);
        assertThat(created(spec(", \"memory_swap\": \"2G\"")).getHostConfig().getMemorySwap()).isEqualTo(2L << 30);
        assertThat(created(spec(", \"cpus\": 0.01")).getHostConfig().getNanoCPUs()).isEqualTo(10_000_000L);
        assertThat(created(spec(", \"cpus\": 2")).getHostConfig().getNanoCPUs()).isEqualTo(2_000_000_000L);
        assertThat(created(spec(", \"cpus\": 1.0000000005")).getHostConfig().getNanoCPUs()).as("half up").isEqualTo(1_000_000_001L);
        assertThat(created(spec(", \"cpus\": 1024")).getHostConfig().getNanoCPUs()).isEqualTo(1_024_000_000_000L);
    }

    @Test
    void log_driver_and_log_opts_with_and_without_the_syslog_shorthand() {
        LogConfig json = created(spec(", \"log_driver\": \"json-file\", \"log_opts\": {\"max-size\": \"10m\"}")).getHostConfig().getLogConfig();
        assertThat(json.getType()).isEqualTo(LogConfig.LoggingType.JSON_FILE);
        assertThat(json.getConfig()).isEqualTo(Map.of("max-size", "10m"));
        LogConfig own = created(spec(", \"syslog\": true, \"log_opts\": {\"tag\": \"mine\"}")).getHostConfig().getLogConfig();
        assertThat(own.getType()).isEqualTo(LogConfig.LoggingType.SYSLOG);
        assertThat(own.getConfig()).as("a tag of log_opts wins over Hoist's").isEqualTo(Map.of("tag", "mine"));
        LogConfig spelled = created(spec(", \"log_driver\": \"syslog\"")).getHostConfig().getLogConfig();
        assertThat(spelled.getConfig()).as("log_driver syslog is syslog: true").isEqualTo(Map.of("tag", "hoist_weather"));
        LogConfig optsOnly = created(spec(", \"log_opts\": {\"max-size\": \"1m\"}")).getHostConfig().getLogConfig();
        assertThat(optsOnly.getType()).as("the daemon's driver").isNull();
        assertThat(optsOnly.getConfig()).isEqualTo(Map.of("max-size", "1m"));
        for (String driver : SpecParser.LOG_DRIVERS) {
            assertThat(DockerJavaEngine.loggingType(driver).getType()).as("docker-java names " + driver).isEqualTo(driver);
        }
    }
}
