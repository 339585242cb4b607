package io.choria.hoist.it;

import static io.choria.hoist.it.TestServices.dockerOk;
import static io.choria.hoist.it.TestServices.hoist;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.choria.hoist.ExitCode;
import io.choria.hoist.it.TestServices.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container options (memory ... sysctls) on the real dockerd: one container with every option this
 * machine can run set, read back with {@code docker inspect} (and a few from inside the container),
 * shown by status, in sync for check on both Engine readers, and replaced when one changes.
 *
 * <p>Three cannot run here, and are proved by the Engine's own refusal instead, which hoist-cli
 * reports as exit 6 (their request is checked field by field in ContainerMappingTest):
 * <ul>
 *   <li>{@code privileged}: the harness's dockerd runs in a container without the capabilities to
 *       grant them all (runc: "unable to apply caps: operation not permitted");
 *   <li>{@code log_driver: syslog} (and {@code syslog: true}): no syslog daemon listens here
 *       ("Unix syslog delivery error"); {@code journald} neither ("journald is not enabled");
 *       the test runs json-file with {@code log_opts} instead;
 *   <li>a real device: the node has none to spare, so {@code devices} maps {@code /dev/null} to
 *       another path, which exercises the same Engine field.
 * </ul>
 */
class ContainerOptionsIT {
    @TempDir Path tmp;
    Path store;
    Map<String, String> env;
    final List<String> names = new ArrayList<>();

    static final String OPTIONS = """
            "memory": "64m", "memory_reservation": "32m", "cpus": 0.5, "cpuset": "0", "pids_limit": 100,
            "user": "1000:1000", "group_add": ["1001"], "hostname": "hoist-opts", "dns": ["192.0.2.53"],
            "dns_search": ["example.com"], "extra_hosts": ["db:192.0.2.5"], "labels": {"com.example.team": "weather"},
            "log_driver": "json-file", "log_opts": {"max-size": "1m", "max-file": "2"},
            "cap_add": ["NET_ADMIN"], "cap_drop": ["MKNOD", "CAP_NET_RAW"], "read_only": true,
            "tmpfs": ["/run:size=8m"], "ulimits": ["nofile=1024:2048"%s], "devices": ["/dev/null:/dev/xnull:rw"],
            "working_dir": "/www", "stop_signal": "SIGQUIT", "init": true, "shm_size": "16m",
            "sysctls": {"net.ipv4.ip_unprivileged_port_start": "0", "kernel.msgmax": "65536"}"""
            // on Podman here, nproc too (TestServices.machineKeys says why)
            .formatted("podman".equals(TestServices.engine()) ? ", \"nproc=4096:4096\"" : "");

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createDirectories(tmp.resolve("store"));
        env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost()));
    }

    @AfterEach
    void removeContainers() {
        TestServices.removeHoistContainers(names);
    }

    void spec(String name, String extra) throws IOException {
        names.add(name);
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{" + (extra.contains("\"ulimits\"") ? "" : TestServices.machineKeys())
                + "\"name\": \"" + name + "\", \"image\": \"" + TestServices.registry()
                + "/hoist/web\", \"image_tag\": \"v1\", \"network\": \"none\", \"stop_timeout\": 1, \"min_healthy_time\": \"0s\","
                + " \"command\": \"sleep 600\"" + extra + "}");
    }

    Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", store.toString()));
        return hoist(null, env, all.toArray(String[]::new));
    }

    /** check on both Engine readers, the lean one and docker-java, which must agree. */
    int check(String name) {
        Result lean = cli("check", name);
        Map<String, String> dj = new HashMap<>(env);
        dj.put("HOIST_CHECK_CLIENT", "docker-java");
        Result other = hoist(null, dj, "check", name, "--store", store.toString());
        assertThat(other.exitCode()).as("check on the docker-java path agrees: " + other.err()).isEqualTo(lean.exitCode());
        return lean.exitCode();
    }

    static JsonObject inspect(String container) {
        return JsonParser.parseString(dockerOk("inspect", container)).getAsJsonArray().get(0).getAsJsonObject();
    }

    static List<String> strings(JsonElement a) {
        List<String> out = new ArrayList<>();
        a.getAsJsonArray().forEach(e -> out.add(e.getAsString()));
        return out;
    }

    /**
     * memory_swap, the worked example of a new key (CONTRIBUTING.md): Hiera's value in container.json reaches
     * HostConfig.MemorySwap, shows in status, and its change replaces the container. An Engine whose kernel
     * has no swap accounting (docker info's SwapLimit false) keeps -1, no limit, whatever is asked, as
     * docker run does there; -1 itself is kept by Docker everywhere. Podman (4.3) reports -1 in its
     * Docker-compatible inspect as Docker reports a swap limit left unset: twice the memory (measured on
     * this machine's Podman, which says SwapLimit true).
     */
    @Test
    void memory_swap_reaches_the_container_and_its_change_replaces_it() throws IOException {
        spec("swap", ", \"memory\": \"64m\", \"memory_swap\": \"-1\"");
        Result start = cli("start", "swap");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.OK);
        boolean swapLimit = "true".equals(dockerOk("info", "--format", "{{.SwapLimit}}").trim());
        long unsetOnPodman = "podman".equals(TestServices.engine()) ? 2 * (64L << 20) : 0;
        JsonObject hc = inspect("hoist_swap").getAsJsonObject("HostConfig");
        assertThat(hc.get("Memory").getAsLong()).isEqualTo(64L << 20);
        assertThat(hc.get("MemorySwap").getAsLong()).as("memory_swap -1").isEqualTo(unsetOnPodman != 0 ? unsetOnPodman : -1L);
        assertThat(cli("status", "swap").out()).contains("memory=64m memory_swap=-1");
        assertThat(check("swap")).isEqualTo(ExitCode.OK);

        String id = inspect("hoist_swap").get("Id").getAsString();
        spec("swap", ", \"memory\": \"64m\", \"memory_swap\": \"128m\"");
        assertThat(check("swap")).as("memory_swap changed").isEqualTo(ExitCode.NOT_RUNNING);
        Result again = cli("start", "swap");
        assertThat(again.exitCode()).as(again.err()).isEqualTo(ExitCode.OK);
        JsonObject replaced = inspect("hoist_swap");
        assertThat(replaced.get("Id").getAsString()).as("replaced").isNotEqualTo(id);
        assertThat(replaced.getAsJsonObject("HostConfig").get("MemorySwap").getAsLong())
                .as("memory_swap 128m, on an Engine with SwapLimit " + swapLimit)
                .isEqualTo(swapLimit ? 128L << 20 : unsetOnPodman != 0 ? unsetOnPodman : -1L);
        assertThat(check("swap")).isEqualTo(ExitCode.OK);
    }

    @Test
    void every_option_reaches_the_container_shows_in_status_and_a_change_replaces_it() throws IOException {
        spec("opts", ", " + OPTIONS);
        Result start = cli("start", "opts");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.OK);

        JsonObject c = inspect("hoist_opts");
        boolean podman = "podman".equals(TestServices.engine());
        JsonObject hc = c.getAsJsonObject("HostConfig");
        JsonObject config = c.getAsJsonObject("Config");
        assertThat(hc.get("Memory").getAsLong()).as("memory 64m").isEqualTo(64L << 20);
        assertThat(hc.get("MemoryReservation").getAsLong()).as("memory_reservation 32m").isEqualTo(32L << 20);
        assertThat(hc.get("NanoCpus").getAsLong()).as("cpus 0.5").isEqualTo(500_000_000L);
        assertThat(hc.get("CpusetCpus").getAsString()).isEqualTo("0");
        assertThat(hc.get("PidsLimit").getAsLong()).isEqualTo(100);
        assertThat(config.get("User").getAsString()).isEqualTo("1000:1000");
        assertThat(strings(hc.get("GroupAdd"))).containsExactly("1001");
        assertThat(config.get("Hostname").getAsString()).isEqualTo("hoist-opts");
        assertThat(strings(hc.get("Dns"))).containsExactly("192.0.2.53");
        assertThat(strings(hc.get("DnsSearch"))).containsExactly("example.com");
        assertThat(strings(hc.get("ExtraHosts"))).containsExactly("db:192.0.2.5");
        assertThat(config.getAsJsonObject("Labels").get("com.example.team").getAsString()).isEqualTo("weather");
        assertThat(config.getAsJsonObject("Labels").get("io.choria.hoist.managed").getAsString()).isEqualTo("true");
        JsonObject log = hc.getAsJsonObject("LogConfig");
        assertThat(log.get("Type").getAsString()).isEqualTo("json-file");
        if (podman) {
            // Podman writes json-file as its k8s-file format and keeps max-size (as Size), not max-file (it keeps
            // one file); its Docker API shows LogConfig without Config, its own API (libpod) shows what it kept.
            assertThat(log.get("Config").isJsonNull()).isTrue();
            JsonObject libpod = TestServices.libpodInspect("hoist_opts").getAsJsonObject("HostConfig").getAsJsonObject("LogConfig");
            assertThat(List.of(libpod.get("Type").getAsString(), libpod.get("Size").getAsString())).containsExactly("json-file", "1MB");
        } else {
            assertThat(log.getAsJsonObject("Config").toString()).isEqualTo("{\"max-file\":\"2\",\"max-size\":\"1m\"}");
        }
        assertThat(strings(hc.get("CapAdd"))).containsExactly("NET_ADMIN");
        assertThat(strings(hc.get("CapDrop"))).containsExactly("MKNOD", "NET_RAW");
        assertThat(hc.get("Privileged").getAsBoolean()).isFalse();
        assertThat(hc.get("ReadonlyRootfs").getAsBoolean()).isTrue();
        if (podman) {
            // Podman shows the mount options it adds, and with read_only mounts tmpfs on /tmp and /var/tmp too
            // (its read-only-tmpfs default, which its Docker API cannot turn off)
            JsonObject tmpfs = hc.getAsJsonObject("Tmpfs");
            assertThat(tmpfs.keySet()).containsExactlyInAnyOrder("/run", "/tmp", "/var/tmp");
            assertThat(tmpfs.get("/run").getAsString()).startsWith("size=8m,");
        } else {
            assertThat(hc.getAsJsonObject("Tmpfs").toString()).isEqualTo("{\"/run\":\"size=8m\"}");
        }
        JsonObject ulimit = hc.getAsJsonArray("Ulimits").get(0).getAsJsonObject();
        assertThat(List.of(ulimit.get("Name").getAsString(), ulimit.get("Soft").getAsLong(), ulimit.get("Hard").getAsLong()))
                .containsExactly(podman ? "RLIMIT_NOFILE" : "nofile", 1024L, 2048L); // Podman names it as the kernel does
        JsonObject device = hc.getAsJsonArray("Devices").get(0).getAsJsonObject();
        assertThat(List.of(device.get("PathOnHost").getAsString(), device.get("PathInContainer").getAsString(),
                device.get("CgroupPermissions").getAsString())).containsExactly("/dev/null", "/dev/xnull", podman ? "" : "rw"); // Podman shows none
        assertThat(config.get("WorkingDir").getAsString()).isEqualTo("/www");
        assertThat(config.get("StopSignal").getAsString()).isEqualTo(podman ? "3" : "SIGQUIT"); // Podman shows the number
        assertThat(hc.get("Init").getAsBoolean()).isTrue();
        assertThat(hc.get("ShmSize").getAsLong()).isEqualTo(16L << 20);
        if (podman) {
            // Podman's inspect shows no Sysctls (neither of its APIs): the exec below reads one in the container
            assertThat(hc.get("Sysctls") == null || hc.get("Sysctls").isJsonNull()).isTrue();
        } else {
            assertThat(hc.getAsJsonObject("Sysctls").toString())
                    .isEqualTo("{\"kernel.msgmax\":\"65536\",\"net.ipv4.ip_unprivileged_port_start\":\"0\"}");
        }

        // A few from inside: the Engine applied what it reports. Only where docker exec enters the
        // container's files: the Docker 26 engines of this test machine (a dockerd in a chroot on a
        // sandboxed kernel) run an exec's process in the host's root, where the image's /www is not;
        // there docker inspect above is the evidence, and the test says so on stderr.
        // On the machine's own Docker 20.10 (HOIST_TEST_ENGINE unset or 20.10) and on Podman exec must enter it.
        boolean inside = TestServices.docker("exec", "-w", "/", "hoist_opts", "sh", "-c", "[ -d /www ]").exitCode() == 0;
        String engine = System.getenv().getOrDefault("HOIST_TEST_ENGINE", "20.10");
        assertThat(inside || !(engine.equals("20.10") || podman)).as("docker exec enters the container on Docker 20.10 and Podman").isTrue();
        if (!inside) {
            assertThat(Files.isDirectory(Path.of("/www"))).as("the host has no /www: the probe can tell the two apart").isFalse();
            System.err.println("ContainerOptionsIT: docker exec on Engine " + engine + " does not enter the container's files;"
                    + " the in-container checks are not run here (docker inspect was checked)");
        } else {
            assertThat(dockerOk("exec", "hoist_opts", "cat", "/proc/sys/kernel/hostname")).isEqualTo("hoist-opts");
            assertThat(dockerOk("exec", "hoist_opts", "cat", "/etc/hosts")).contains("192.0.2.5\tdb");
            assertThat(dockerOk("exec", "hoist_opts", "cat", "/proc/sys/kernel/msgmax")).isEqualTo("65536");
            assertThat(TestServices.docker("exec", "hoist_opts", "sh", "-c", "echo x > /x").exitCode()).as("read_only root").isNotZero();
            assertThat(TestServices.docker("exec", "hoist_opts", "sh", "-c", "echo x > /run/x").exitCode()).as("the tmpfs is writable").isZero();
            assertThat(dockerOk("exec", "hoist_opts", "sh", "-c", "ls -l /dev/xnull")).startsWith("c");
        }

        // status shows them as the spec writes them, in text and JSON.
        Result text = cli("status", "opts");
        assertThat(text.out()).contains("  Options:     memory=64m memory_reservation=32m cpus=0.5 cpuset=0 pids_limit=100 user=1000:1000");
        JsonObject options = JsonParser.parseString(cli("status", "opts", "--json").out()).getAsJsonObject()
                .getAsJsonArray("containers").get(0).getAsJsonObject().getAsJsonObject("options");
        assertThat(options.keySet()).containsExactly("memory", "memory_reservation", "cpus", "cpuset", "pids_limit", "user", "group_add",
                "hostname", "dns", "dns_search", "extra_hosts", "labels", "log_driver", "log_opts", "cap_add", "cap_drop", "read_only",
                "tmpfs", "ulimits", "devices", "working_dir", "stop_signal", "init", "shm_size", "sysctls");
        assertThat(options.get("cpus").getAsString()).isEqualTo("0.5");
        assertThat(options.getAsJsonArray("cap_drop")).isEqualTo(JsonParser.parseString("[\"MKNOD\", \"CAP_NET_RAW\"]"));

        // In sync; a spec written with other spellings of the same values is still in sync.
        assertThat(check("opts")).isEqualTo(ExitCode.OK);
        String id = c.get("Id").getAsString();
        Path json = store.resolve("hoist_opts").resolve("container.json");
        Files.writeString(json, Files.readString(json).replace("\"64m\"", "\"65536k\"").replace("\"CAP_NET_RAW\"", "\"NET_RAW\""));
        assertThat(check("opts")).as("64m spelled 65536k, CAP_NET_RAW as NET_RAW").isEqualTo(ExitCode.OK);

        // One option changed: drift, and start replaces the container with the new value.
        Files.writeString(json, Files.readString(json).replace("\"65536k\"", "\"96m\""));
        assertThat(check("opts")).as("memory changed").isEqualTo(ExitCode.NOT_RUNNING);
        Result again = cli("start", "opts");
        assertThat(again.exitCode()).as(again.err()).isEqualTo(ExitCode.OK);
        JsonObject replaced = inspect("hoist_opts");
        assertThat(replaced.get("Id").getAsString()).isNotEqualTo(id);
        assertThat(replaced.getAsJsonObject("HostConfig").get("Memory").getAsLong()).isEqualTo(96L << 20);
        assertThat(check("opts")).isEqualTo(ExitCode.OK);
    }

    /**
     * What this machine cannot run, proved by the Engine's refusal, which hoist-cli passes on as exit 6
     * naming the container: the syslog log driver (no syslog daemon here) and more CPUs than the node
     * has; and privileged, which depends on the Engine: Docker 20.10 here refuses it (runc cannot
     * grant every capability), Docker 26 runs it. Each is a real request to the real dockerd, and
     * each outcome is checked: a refusal by its message, a privileged container by docker inspect.
     */
    @Test
    void what_the_engine_here_cannot_run_it_refuses_and_hoist_cli_says_so_with_exit_6() throws IOException {
        Map<String, String> cases = Map.of(
                "priv", ", \"privileged\": true",
                "sysl", ", \"log_driver\": \"syslog\", \"log_opts\": {\"syslog-facility\": \"daemon\"}",
                "cpus", ", \"cpus\": 1024");
        Map<String, String> engineSays = Map.of(
                "priv", "operation not permitted",
                "sysl", "syslog", // Podman: hoist-cli refuses it before asking, naming it
                "cpus", "Range of CPUs is from 0.01");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            spec(e.getKey(), e.getValue());
            Result r = cli("start", e.getKey());
            if (e.getKey().equals("cpus") && "podman".equals(TestServices.engine())) {
                // Podman sets the CPU quota it is asked for, more CPUs than the node has included (Docker refuses).
                assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
                assertThat(inspect("hoist_cpus").getAsJsonObject("HostConfig").get("NanoCpus").getAsLong()).isEqualTo(1024_000_000_000L);
                continue;
            }
            if (e.getKey().equals("priv") && r.exitCode() == ExitCode.OK) {
                assertThat(inspect("hoist_priv").getAsJsonObject("HostConfig").get("Privileged").getAsBoolean())
                        .as("an Engine that runs it runs it privileged").isTrue();
                continue;
            }
            assertThat(r.exitCode()).as(e.getKey() + ": " + r.err()).isEqualTo(ExitCode.START_FAILED);
            assertThat(r.err()).as(e.getKey()).contains(engineSays.get(e.getKey()));
        }
    }

    @Test
    void a_bad_option_is_one_line_on_stderr_and_exit_2_naming_container_and_field() throws IOException {
        Map<String, String> cases = Map.of(
                "lab", ", \"labels\": {\"io.choria.hoist.managed\": \"false\"}",
                "logc", ", \"syslog\": true, \"log_driver\": \"journald\"",
                "mem", ", \"memory\": \"1.5g\"");
        Map<String, String> field = Map.of("lab", "labels", "logc", "log_driver", "mem", "memory");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            spec(e.getKey(), e.getValue());
            Result r = cli("start", e.getKey());
            assertThat(r.exitCode()).as(e.getKey()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(r.errLines()).as(e.getKey()).hasSize(1);
            assertThat(r.err()).contains("container " + e.getKey()).contains("field '" + field.get(e.getKey()) + "'");
        }
        assertThat(dockerOk("ps", "-aq", "--filter", "label=io.choria.hoist.name=lab")).as("nothing was created").isEmpty();
    }
}
