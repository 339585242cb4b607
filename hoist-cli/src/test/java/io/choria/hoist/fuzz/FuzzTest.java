package io.choria.hoist.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import io.choria.hoist.lifecycle.NodeState;
import io.choria.hoist.lifecycle.StateStore;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.rollout.RolloutPolicy.Facts;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.Tags;
import io.choria.hoist.spec.WatcherData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No exit 70 from anything a user or the environment can write: each parser gets 10,000 generated
 * inputs (mutations of valid documents). Every input must parse, or fail with a HoistException and
 * its documented exit code; any other exception is a bug and fails the test with the input.
 */
class FuzzTest {
    static final int INPUTS = 10_000;
    static final long SEED = 20261202L;
    @TempDir Path dir;

    static final List<String> SPECS = List.of(
            "{\"name\": \"web\", \"image\": \"example/web\"}",
            "{\"name\": \"web\", \"image\": \"registry.example.com:5000/team/web\", \"image_tag\": \"v1.2\", \"command\": \"httpd -f -p 80\","
                    + " \"entrypoint\": [\"/bin/sh\", \"-c\"], \"network\": \"host\", \"syslog\": true, \"environment\": [\"API_KEY=s3cret\", \"A=\"],"
                    + " \"volumes\": [\"/srv/web:/data:ro\"], \"ports\": [\"127.0.0.1:8080:80/tcp\", \"53:53/udp\"], \"kv_update\": true,"
                    + " \"kv_bucket\": \"HOIST\", \"kv_key\": \"container/web/tag\", \"kv_interval\": \"10s\", \"check_interval\": \"3m\","
                    + " \"stop_timeout\": 30, \"restart_governor\": \"HOIST_web\", \"update_governor\": \"HOIST_web_up\","
                    + " \"restart_files\": [\"/etc/web.conf\"], \"health_http\": \"http://127.0.0.1:8080/health\", \"health_status\": 204,"
                    + " \"start_timeout\": \"2m\", \"min_healthy_time\": \"5s\"}",
            "{\"name\": \"db\", \"image\": \"postgres\", \"image_tag\": \"sha256:" + "a".repeat(64) + "\", \"health_tcp\": \"[::1]:5432\","
                    + " \"health_command\": [\"pg_isready\"], \"start_timeout\": \"1h\", \"min_healthy_time\": \"0s\"}");
    static final List<String> WATCHER_DATA = List.of("{}", "{\"TAG\": \"v2\"}", "{\"TAG\": \"v2\", \"TAG_failed\": \"v3\"}",
            "{\"container/web/tag\": \"sha256:" + "b".repeat(64) + "\", \"other\": {\"a\": [1, 2]}}");
    static final List<String> STATES = List.of("{}",
            "{\"format\": 1, \"lastGood\": {\"image\": \"example/web\", \"tag\": \"v1\", \"imageId\": \"sha256:1\", \"at\": \"2026-11-27T10:00:00Z\"}}",
            "{\"lastGood\": {\"image\": \"example/web\", \"tag\": \"v1\"}, \"failed\": {\"image\": \"example/web\", \"tag\": \"v2\", \"at\": \"2026-11-27T10:00:00Z\","
                    + " \"reason\": \"did not become healthy\"}, \"startFailures\": {\"ref\": \"example/web:v2\", \"count\": 3, \"retryAfter\": \"2026-11-27T10:05:00Z\"}}");
    static final Set<Integer> DOCUMENTED = Set.of(ExitCode.OK, ExitCode.NOT_RUNNING, ExitCode.BAD_INPUT, ExitCode.DOCKER_UNREACHABLE,
            ExitCode.IMAGE_UNAVAILABLE, ExitCode.KV_ERROR, ExitCode.START_FAILED, ExitCode.FILE_ERROR, ExitCode.BUSY);

    /** Runs one parser over generated inputs; returns the inputs that ended in anything but a HoistException. */
    interface Parser {
        void parse(String input) throws Exception;
    }

    List<String> fuzz(String what, List<String> valid, long seed, Set<Integer> allowed, Parser parser) {
        Mutator m = new Mutator(seed);
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < INPUTS; i++) {
            String input = i < valid.size() ? valid.get(i) : m.mutate(valid);
            try {
                parser.parse(input);
            } catch (HoistException e) {
                if (!allowed.contains(e.exitCode()) || e.getMessage() == null || e.getMessage().contains("\n")) {
                    unexpected.add("exit " + e.exitCode() + " " + shorten(String.valueOf(e.getMessage())) + " for " + shorten(input));
                }
            } catch (Throwable t) {
                unexpected.add(t + " for " + shorten(input));
            }
        }
        System.out.println("fuzz " + what + ": " + INPUTS + " inputs, " + unexpected.size() + " unexpected");
        return unexpected;
    }

    /** The input as a file holds it: UTF-8, and now and then a byte that is not UTF-8. */
    static byte[] bytes(String input) {
        byte[] b = input.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0 && Math.floorMod(input.hashCode(), 40) == 0) {
            b[Math.floorMod(input.hashCode() / 40, b.length)] = (byte) 0xff;
        }
        return b;
    }

    static String shorten(String s) {
        return Tags.printable(s.length() > 300 ? s.substring(0, 300) : s);
    }

    @Test
    void spec_parser() {
        assertThat(fuzz("spec parser", SPECS, SEED, Set.of(ExitCode.BAD_INPUT), input -> SpecParser.parse(input, "container.json"))).isEmpty();
    }

    @Test
    void watcher_data_parser() {
        Path file = dir.resolve("watcher-data.json");
        ContainerSpec spec = SpecParser.parse(SPECS.get(1), "t");
        assertThat(fuzz("watcher data parser", WATCHER_DATA, SEED + 1, Set.of(ExitCode.BAD_INPUT), input -> {
            WatcherData d;
            if (Math.floorMod(input.hashCode(), 20) == 0) {
                // now and then through a file, as Choria hands it over (with a byte that is not UTF-8 at times)
                Files.write(file, bytes(input));
                d = WatcherData.fromEnvironment(file.toString());
            } else {
                d = WatcherData.parse(input, "WATCHER_DATA file " + file);
            }
            RolloutPolicy.decide(spec, Facts.of(spec, d, "v1", "v3", "v1"));
            ContainerSpec kvSpec = SpecParser.parse(SPECS.get(0).replace("}", ", \"kv_update\": true}"), "t");
            RolloutPolicy.decide(kvSpec, Facts.of(kvSpec, d, null, null, null));
        })).isEmpty();
    }

    @Test
    void kv_tag_value() {
        ContainerSpec spec = SpecParser.parse(SPECS.get(0).replace("}", ", \"kv_update\": true}"), "t");
        List<String> values = List.of("v2", "latest", "sha256:" + "c".repeat(64), "v2 && reboot", "", " v2 ", "a".repeat(128));
        assertThat(fuzz("KV tag value", values.stream().map(v -> "\"" + v + "\"").toList(), SEED + 2, DOCUMENTED, input -> {
            // The value as the KV holds it: any bytes; Choria stores a value that parses as JSON as JSON.
            String value = input.length() > 1 && input.startsWith("\"") && input.endsWith("\"") ? input.substring(1, input.length() - 1) : input;
            Tags.isValid(value);
            Tags.whyInvalid(value);
            RolloutPolicy.Decision d = RolloutPolicy.decide(spec, Facts.of(spec, WatcherData.of("TAG", value), "v1", null, null));
            spec.imageRef(d.tag());
            RolloutPolicy.decide(spec, Facts.of(spec, WatcherData.of("TAG", value).with("TAG_failed", value), null, "v1", "v0"));
            RolloutPolicy.KvValue.of(value);
        })).isEmpty();
    }

    @Test
    void state_file() {
        Path file = dir.resolve(StateStore.FILE_NAME);
        List<String> warnings = new ArrayList<>();
        StateStore store = new StateStore(file, warnings::add);
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        assertThat(fuzz("state file", STATES, SEED + 3, Set.of(), input -> {
            NodeState s;
            if (Math.floorMod(input.hashCode(), 20) == 0) {
                Files.write(file, bytes(input));
                s = store.load();
            } else {
                StateStore.Read r = StateStore.parse(input);
                assertThat(r.problems()).allSatisfy(p -> assertThat(p).doesNotContain("\n"));
                s = r.state();
            }
            s.lastGoodTag("example/web");
            s.failedTag("example/web");
            if (s.startFailures() != null) {
                s.startFailures().backingOff("example/web:v2", now);
            }
            s.startFailed("example/web:v2", now).started("example/web", "v2", "sha256:2", true, now).rolledBackFrom("example/web", "v3", "x", now);
        })).isEmpty();
        assertThat(warnings).allSatisfy(w -> assertThat(w).doesNotContain("\n"));
    }
}
