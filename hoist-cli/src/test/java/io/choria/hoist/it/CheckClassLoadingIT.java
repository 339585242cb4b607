package io.choria.hoist.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check runs on every node for every container, every few minutes, forever: it must not load what it
 * does not use. BouncyCastle (hoist-cli's PEM parsing for TLS to the broker, docker-java's and jnats'
 * crypto) is 8 MB of the jar; the JVM's class-loading log of a check that passes lists none of its
 * classes, on either of check's Engine paths. KvTlsIT shows the same log listing them when a command
 * reads PEM files, so their absence here is a finding, not a blind spot.
 */
class CheckClassLoadingIT {
    @TempDir Path tmp;
    final List<String> names = new ArrayList<>();

    @AfterEach
    void removeContainers() {
        TestServices.removeHoistContainers(names);
    }

    /** The jar run as the launcher runs it, with the class-loading log written to LOG. */
    Result run(Map<String, String> env, Path log, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:class+load=info:file=" + log, "-jar", TestServices.jar().toString()));
        cmd.addAll(List.of(args));
        // Guard, not a speed bound: start pulls a small image from the local registry and waits 1 s (a few
        // seconds in all), check well under one; only a hung hoist-cli reaches 120 s.
        return TestServices.exec(tmp, env, cmd, 120);
    }

    @Test
    void a_passing_check_loads_no_bouncycastle_class_on_either_engine_path() throws IOException {
        String name = "classes";
        names.add(name);
        Path store = Files.createDirectories(tmp.resolve("store"));
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{" + TestServices.machineKeys() + "\"name\": \"" + name + "\", \"image\": \"" + TestServices.registry()
                + "/hoist/web\", \"image_tag\": \"v1\", \"network\": \"host\", \"stop_timeout\": 0,"
                + " \"command\": \"httpd -f -p 127.0.0.1:" + TestServices.freePort() + " -h /www\"}");
        Map<String, String> env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost()));
        Result start = run(env, tmp.resolve("start.log"), "start", name, "--store", store.toString());
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.OK);

        for (String client : List.of("lean", "docker-java")) {
            Map<String, String> checkEnv = new HashMap<>(env);
            if (client.equals("docker-java")) {
                checkEnv.put("HOIST_CHECK_CLIENT", client);
            }
            Path log = tmp.resolve("check-" + client + ".log");
            Result check = run(checkEnv, log, "check", name, "--store", store.toString());
            assertThat(check.exitCode()).as(check.err()).isEqualTo(ExitCode.OK);
            List<String> loaded = Files.readAllLines(log);
            // The log works: hoist-cli's own check class is in it (Checker: a plain check runs without
            // picocli, so CheckCommand is not loaded).
            assertThat(loaded).as(client).anyMatch(l -> l.contains(" io.choria.hoist.lifecycle.Checker "));
            assertThat(loaded).as(client + ": BouncyCastle classes a check loaded").noneMatch(l -> l.contains(" org.bouncycastle."));
        }
    }

    /**
     * A node reports its status into the KV (issue 15) only when it changed: with a broker configured,
     * the first check writes its report (and loads jnats to do it), the next check, finding nothing
     * new, neither connects nor loads any jnats class that a check without a broker does not load.
     */
    static java.util.Set<String> natsClasses(Path log) throws IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String l : Files.readAllLines(log)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(" (io\\.nats\\.[^ ]+) source:").matcher(l);
            if (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    @Test
    void a_check_with_nothing_new_to_report_connects_to_no_broker() throws IOException {
        String name = "quietreport";
        names.add(name);
        Path store = Files.createDirectories(tmp.resolve("store2"));
        Path folder = Files.createDirectories(store.resolve("hoist_" + name));
        Files.writeString(folder.resolve("container.json"), "{" + TestServices.machineKeys() + "\"name\": \"" + name + "\", \"image\": \"" + TestServices.registry()
                + "/hoist/web\", \"image_tag\": \"v1\", \"network\": \"host\", \"stop_timeout\": 0,"
                + " \"command\": \"httpd -f -p 127.0.0.1:" + TestServices.freePort() + " -h /www\"}");
        Map<String, String> env = new HashMap<>(Map.of("DOCKER_HOST", TestServices.dockerHost(),
                "HOIST_NATS_URL", TestServices.required("HOIST_TEST_NATS_URL"), "HOIST_IDENTITY", "classes.example"));
        Result start = run(env, tmp.resolve("start2.log"), "start", name, "--store", store.toString());
        env.put("MACHINE_WATCHER_NAME", "check");
        assertThat(start.exitCode()).as(start.err()).isEqualTo(ExitCode.OK);
        Result first = run(env, tmp.resolve("first.log"), "check", name, "--store", store.toString());
        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.OK);
        assertThat(Files.readAllLines(tmp.resolve("first.log"))).as("the first check wrote its report (state RUN, not start's)")
                .anyMatch(l -> l.contains(" io.nats.client.Nats "));
        Result again = run(env, tmp.resolve("again.log"), "check", name, "--store", store.toString());
        assertThat(again.exitCode()).as(again.err()).isEqualTo(ExitCode.OK);
        assertThat(again.err()).isEmpty();
        // A few jnats classes are loaded by every command before it runs, broker or not (Context.system()
        // links JetStreamTagStore::connect, and verifying that class loads the types it names): the
        // check with nothing new loads none beyond those of a check with no broker configured at all.
        Map<String, String> noBroker = new HashMap<>(env);
        noBroker.remove("HOIST_NATS_URL");
        Result none = run(noBroker, tmp.resolve("none.log"), "check", name, "--store", store.toString());
        assertThat(none.exitCode()).as(none.err()).isEqualTo(ExitCode.OK);
        assertThat(natsClasses(tmp.resolve("again.log"))).as("jnats classes a check with nothing new loaded, beyond a check without a broker")
                .isSubsetOf(natsClasses(tmp.resolve("none.log"))).doesNotContain("io.nats.client.Nats", "io.nats.client.Options");
        assertThat(Files.readString(folder.resolve("hoist-status.json"))).contains("\"identity\":\"classes.example\"")
                .contains("\"state\":\"RUN\"").contains("\"healthy\":true");
    }
}
