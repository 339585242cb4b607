package io.choria.hoist.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.ExitCode;
import io.choria.hoist.cli.Cli;
import io.choria.hoist.cli.Context;
import io.choria.hoist.it.TestServices;
import io.choria.hoist.it.TestServices.Result;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueStatus;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hoist-cli tag against a real {@code nats-server -js} on 127.0.0.1, started by the harness
 * (harness/test.sh exports HOIST_TEST_NATS_URL). Without it these tests fail: they never skip.
 * Most run the real shaded jar; some run Cli.run in-process with the real JetStream store.
 * The broker is read back with jnats to prove what was, and was not, written.
 */
class KvTagIT {
    /**
     * Upper bound for a broker that cannot be reached. The behaviour shown is "one attempt, bounded by
     * ConnectionSettings.CONNECT_TIMEOUT (3 s), then a clean exit", not speed. Measured: 0.4 to 0.8 s
     * (refused) and 3.4 s (silent), the JVM's start included. A slow machine adds seconds to the JVM's
     * start, not the 26 s it would need to reach the bound; what the bound catches does: a retry loop on
     * jnats' reconnect defaults (60 tries 2 s apart: 2 min), or a connect without a timeout (it hangs
     * until exec's 180 s guard).
     */
    static final Duration FAILS_FAST = Duration.ofSeconds(30);

    static String url;
    static Connection nc;
    static JetStreamManagement jsm;

    @TempDir Path home;
    Path store;
    String name;

    @BeforeAll
    static void connect() throws Exception {
        url = TestServices.required("HOIST_TEST_NATS_URL");
        nc = Nats.connect(url);
        jsm = nc.jetStreamManagement();
    }

    @AfterAll
    static void close() throws InterruptedException {
        if (nc != null) {
            nc.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        store = Files.createDirectories(home.resolve("machine"));
        name = "it" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    }

    /** The jar, with a bare environment: HOME has no .choriarc, and the store holds only what a test puts there. */
    Result hoist(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(Map.of("HOME", home.toString()));
        env.putAll(extraEnv);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--store", store.toString()));
        return TestServices.hoist(home, env, all.toArray(new String[0]));
    }

    Result hoist(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", url));
        return hoist(Map.of(), all.toArray(new String[0]));
    }

    /** hoist-cli endpoints web ARGS: the jar, with no --store (endpoints reads no spec). */
    Result endpoints(String... args) {
        List<String> all = new ArrayList<>(List.of("endpoints", "web"));
        all.addAll(List.of(args));
        all.addAll(List.of("--server", url));
        return TestServices.hoist(home, Map.of("HOME", home.toString()), all.toArray(new String[0]));
    }

    /** hoist-cli in this JVM, with the real JetStream store. */
    Result inProcess(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        Context ctx = new Context(Map.of("HOME", home.toString()), home, host -> {
            throw new AssertionError("tag must not use Docker");
        });
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", url, "--store", store.toString()));
        int rc = Cli.run(ctx, new PrintWriter(o), new PrintWriter(e), all.toArray(new String[0]));
        return new Result(rc, o.toString(), e.toString());
    }

    void spec(String containerName, String extra) throws IOException {
        Path dir = Files.createDirectories(store.resolve("hoist_" + containerName));
        Files.writeString(dir.resolve("container.json"), "{\"name\": \"" + containerName + "\", \"image\": \"example/" + containerName
                + "\", \"image_tag\": \"v1\", \"kv_update\": true" + extra + "}");
    }

    static KeyValue bucket(String bucket) throws IOException {
        return nc.keyValue(bucket);
    }

    static void createBucket(String bucket) throws IOException, JetStreamApiException {
        nc.keyValueManagement().create(KeyValueConfiguration.builder().name(bucket).maxHistoryPerKey(5).storageType(StorageType.File).build());
    }

    static boolean streamExists(String stream) throws IOException, JetStreamApiException {
        return jsm.getStreamNames().contains(stream);
    }

    static long messages(String stream) throws IOException, JetStreamApiException {
        StreamInfo si = jsm.getStreamInfo(stream);
        return si.getStreamState().getMsgCount();
    }

    /**
     * Issue 27 on a real broker: endpoints lists a service's registrations (the stream's subjects,
     * then each value), and drain deletes this node's (by address and port, every instance) and
     * nothing else; a deleted key is not listed.
     */
    @Test
    void endpoints_lists_registrations_and_drain_withdraws_this_nodes_only() throws Exception {
        try {
            nc.keyValueManagement().create(KeyValueConfiguration.builder().name("CHORIA_SERVICES").maxHistoryPerKey(1)
                    .storageType(StorageType.File).build());
        } catch (JetStreamApiException exists) {
            // made by another test of this run: the same bucket
        }
        KeyValue services = bucket("CHORIA_SERVICES");
        String mine = "{\"cluster\":\"" + name + "\",\"service\":\"web\",\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":8080,\"priority\":1}";
        String theirs = mine.replace("127.0.0.1", "127.0.0.2");
        services.put(name + ".http.web.i1", mine);
        services.put(name + ".http.web.i0", mine);
        services.put(name + ".http.web.i2", theirs);
        services.put(name + ".http.web.gone", theirs);
        services.delete(name + ".http.web.gone");

        Result listed = endpoints("--cluster", name);
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out().lines()).containsExactly(
                "127.0.0.1:8080 priority=1 cluster=" + name + " protocol=http instance=i0",
                "127.0.0.1:8080 priority=1 cluster=" + name + " protocol=http instance=i1",
                "127.0.0.2:8080 priority=1 cluster=" + name + " protocol=http instance=i2");

        Path dir = Files.createDirectories(store.resolve("hoist_web"));
        Files.writeString(dir.resolve("container.json"), "{\"name\": \"web\", \"image\": \"example/web\"}");
        Files.writeString(dir.resolve("registrations.json"), "{\"drain_time\": \"1s\", \"registrations\": [{\"cluster\": \"" + name
                + "\", \"protocol\": \"http\", \"service\": \"web\", \"ip\": \"127.0.0.1\", \"port\": 8080}]}");
        Result drained = hoist("drain", "web");
        assertThat(drained.exitCode()).as(drained.err()).isZero();
        assertThat(drained.out()).isEqualTo("withdrew 2 service registration(s) of hoist_web from CHORIA_SERVICES and waited 1s\n");
        assertThat(endpoints("--cluster", name, "--json").out())
                .isEqualTo("[{\"address\":\"127.0.0.2\",\"port\":8080,\"priority\":1,\"cluster\":\"" + name
                        + "\",\"protocol\":\"http\",\"service\":\"web\",\"instance\":\"i2\",\"annotations\":{}}]\n");
    }

    @Test
    void writes_with_create_then_reads_the_tag_alone_on_stdout() throws Exception {
        Result put = hoist("tag", name, "v2", "--create");
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        assertThat(put.out()).isEqualTo("HOIST_" + name + "/TAG = v2 (revision 1)\n");
        assertThat(put.err()).contains("created the Key-Value bucket HOIST_" + name + " (history 5, replicas 1)");

        assertThat(streamExists("KV_HOIST_" + name)).isTrue();
        assertThat(messages("KV_HOIST_" + name)).isEqualTo(1);
        assertThat(bucket("HOIST_" + name).get("TAG").getValueAsString()).isEqualTo("v2");

        Result get = hoist("tag", name);
        assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCode.OK);
        assertThat(get.out()).isEqualTo("v2\n");
    }

    /**
     * rollout status reads every node's report with entries, endpoints and drain a service's
     * registrations with entriesByKey: the latest value of each matching key, none deleted, nothing else.
     */
    @Test
    void entries_lists_the_latest_value_of_every_matching_key_and_leaves_out_deleted_ones() throws Exception {
        String b = "HOIST_" + name;
        createBucket(b);
        KeyValue kv = bucket(b);
        for (int i = 0; i < 300; i++) {
            kv.put("web.n" + i, "{\"n\": " + i + "}");
        }
        kv.put("web.n7", "again");
        kv.delete("web.n8");
        kv.purge("web.n9");
        kv.put("db.n1", "other container");
        try (JetStreamTagStore store = JetStreamTagStore.connect(new ConnectionSettings(List.of(url), null, null, "test", Duration.ofSeconds(3)))) {
            Map<String, io.choria.hoist.kv.TagEntry> web = store.entries(b, "web.>");
            assertThat(web.keySet()).doesNotContain("web.n8", "web.n9", "db.n1").hasSize(298);
            assertThat(web.get("web.n7").value()).isEqualTo("again");
            assertThat(web.get("web.n299").value()).isEqualTo("{\"n\": 299}");
            assertThat(web.get("web.n7").revision()).isGreaterThan(web.get("web.n6").revision());
            assertThat(store.entries(b, "cache.>")).isEmpty();
            // entriesByKey (endpoints, drain): the same map, read key by key without a consumer
            Map<String, io.choria.hoist.kv.TagEntry> byKey = store.entriesByKey(b, "web.>");
            assertThat(byKey.keySet()).isEqualTo(web.keySet());
            for (String k : web.keySet()) {
                assertThat(byKey.get(k).value()).as(k).isEqualTo(web.get(k).value());
                assertThat(byKey.get(k).revision()).as(k).isEqualTo(web.get(k).revision());
            }
            assertThat(store.entriesByKey(b, "cache.>")).isEmpty();
        }
    }

    @Test
    void reads_what_choria_kv_put_wrote_and_renders_json() throws Exception {
        createBucket("HOIST_" + name);
        long rev = bucket("HOIST_" + name).put("TAG", "v7");
        Result get = hoist("tag", name, "--json");
        assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCode.OK);
        assertThat(get.out()).contains("\"tag\": \"v7\"", "\"revision\": " + rev, "\"bucket\": \"HOIST_" + name + "\"", "\"key\": \"TAG\"")
                .containsPattern("\"time\": \"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\"");
    }

    @Test
    void history_lists_earlier_values_oldest_first() throws Exception {
        createBucket("HOIST_" + name);
        KeyValue kv = bucket("HOIST_" + name);
        kv.put("TAG", "v1");
        kv.put("TAG", "v2");
        assertThat(hoist("tag", name, "v3").exitCode()).isEqualTo(ExitCode.OK);

        Result h = hoist("tag", name, "--history");
        assertThat(h.exitCode()).as(h.err()).isEqualTo(ExitCode.OK);
        List<String> lines = h.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("REVISION  TIME                 OPERATION VALUE");
        assertThat(lines.subList(1, 4)).extracting(l -> l.split("\\s+")[0] + " " + l.split("\\s+")[2] + " " + l.split("\\s+")[3])
                .containsExactly("1 put v1", "2 put v2", "3 put v3");

        Result last = inProcess("tag", name, "--history", "2", "--json");
        assertThat(last.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(last.out()).contains("\"value\": \"v2\"", "\"value\": \"v3\"").doesNotContain("\"value\": \"v1\"");
    }

    @Test
    void create_makes_the_bucket_with_the_history_asked_and_leaves_an_existing_one_alone() throws Exception {
        Result put = inProcess("tag", name, "v2", "--create", "--bucket-history", "3", "--replicas", "1");
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        KeyValueStatus status = nc.keyValueManagement().getStatus("HOIST_" + name);
        assertThat(status.getMaxHistoryPerKey()).isEqualTo(3);
        assertThat(status.getReplicas()).isEqualTo(1);
        assertThat(status.getBackingStore()).isEqualTo("JetStream");

        // --history N is the older spelling of --bucket-history N, still accepted
        Result again = inProcess("tag", name, "v3", "--create", "--history", "10");
        assertThat(again.exitCode()).as(again.err()).isEqualTo(ExitCode.OK);
        assertThat(again.err()).doesNotContain("created");
        assertThat(nc.keyValueManagement().getStatus("HOIST_" + name).getMaxHistoryPerKey()).isEqualTo(3);
        assertThat(messages("KV_HOIST_" + name)).isEqualTo(2);
    }

    @Test
    void a_missing_bucket_is_refused_with_one_line_and_nothing_is_created() throws Exception {
        Result put = hoist("tag", name, "v2", "--layout", "container");
        assertThat(put.exitCode()).isEqualTo(ExitCode.KV_ERROR);
        assertThat(put.err()).isEqualTo("hoist-cli: the Key-Value bucket HOIST_" + name + " does not exist: nothing written; create it with "
                + "'choria kv add HOIST_" + name + "' or give --create\n");
        assertThat(put.out()).isEmpty();
        assertThat(streamExists("KV_HOIST_" + name)).isFalse();

        Result get = hoist("tag", name, "--layout", "container");
        assertThat(get.exitCode()).isEqualTo(ExitCode.KV_ERROR);
        assertThat(get.err()).startsWith("hoist-cli: the Key-Value bucket HOIST_" + name + " does not exist, so the spec's image_tag applies");
    }

    @Test
    void a_missing_key_says_image_tag_applies_and_exits_1() throws Exception {
        spec(name, "");
        createBucket("HOIST_" + name);
        Result get = hoist("tag", name);
        assertThat(get.exitCode()).isEqualTo(1);
        assertThat(get.out()).isEmpty();
        assertThat(get.err()).isEqualTo("hoist-cli: HOIST_" + name + "/TAG is not set, so image_tag v1 applies\n");
    }

    @Test
    void a_deleted_key_means_back_to_image_tag() throws Exception {
        spec(name, "");
        assertThat(hoist("tag", name, "v2", "--create").exitCode()).isEqualTo(ExitCode.OK);
        bucket("HOIST_" + name).delete("TAG");

        Result get = hoist("tag", name);
        assertThat(get.exitCode()).isEqualTo(1);
        assertThat(get.out()).isEmpty();
        assertThat(get.err()).isEqualTo("hoist-cli: HOIST_" + name + "/TAG is not set (deleted at revision 2), so image_tag v1 applies\n");

        Result h = inProcess("tag", name, "--history");
        assertThat(h.out().lines().skip(1).map(l -> l.split("\\s+")[2])).containsExactly("put", "delete");

        assertThat(hoist("tag", name, "v3").exitCode()).isEqualTo(ExitCode.OK);
        assertThat(hoist("tag", name).out()).isEqualTo("v3\n");
    }

    @Test
    void invalid_tags_are_refused_and_nothing_is_written() throws Exception {
        createBucket("HOIST_" + name);
        bucket("HOIST_" + name).put("TAG", "v1");
        assertThat(messages("KV_HOIST_" + name)).isEqualTo(1);

        Result jar = hoist("tag", name, "v2; rm -rf /");
        assertThat(jar.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(jar.err()).endsWith("hoist-cli: refusing to write: 'v2; rm -rf /' is not a valid tag "
                + "(expects [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} or sha256:<64 hex>)\n");
        for (String bad : List.of("v".repeat(200), "v 2", "{\"tag\": \"v2\"}", "", "v2\nv3", "sha256:1234")) {
            Result r = inProcess("tag", name, bad);
            assertThat(r.exitCode()).as(bad).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(r.err()).as(bad).contains("refusing to write");
        }
        assertThat(messages("KV_HOIST_" + name)).isEqualTo(1);
        assertThat(bucket("HOIST_" + name).get("TAG").getValueAsString()).isEqualTo("v1");

        String fresh = name + "x";
        assertThat(hoist("tag", fresh, "v 2", "--create").exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(streamExists("KV_HOIST_" + fresh)).isFalse();
    }

    @Test
    void the_shared_bucket_layout_from_the_spec_and_from_flags() throws Exception {
        String shared = "SHARED_" + name;
        spec(name, ", \"kv_bucket\": \"" + shared + "\", \"kv_key\": \"container/" + name + "/tag\"");
        Result put = hoist("tag", name, "v2", "--create");
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        assertThat(put.out()).isEqualTo(shared + "/container/" + name + "/tag = v2 (revision 1)\n");

        String other = name + "b";
        Result flags = inProcess("tag", other, "v5", "--layout", "shared", "--bucket", shared);
        assertThat(flags.exitCode()).as(flags.err()).isEqualTo(ExitCode.OK);

        KeyValue kv = bucket(shared);
        assertThat(kv.get("container/" + name + "/tag").getValueAsString()).isEqualTo("v2");
        assertThat(kv.get("container/" + other + "/tag").getValueAsString()).isEqualTo("v5");
        assertThat(streamExists("KV_" + shared)).isTrue();
        assertThat(streamExists("KV_HOIST_" + name)).isFalse();
        assertThat(messages("KV_" + shared)).isEqualTo(2);

        assertThat(hoist("tag", name).out()).isEqualTo("v2\n");
        assertThat(hoist("tag", other, "--layout", "shared", "--bucket", shared).out()).isEqualTo("v5\n");
    }

    @Test
    void a_broker_that_is_down_gives_one_line_and_exit_5_in_seconds() throws IOException {
        try (Socket down = TestServices.refusedPort()) {
            int port = down.getLocalPort();
            long start = System.nanoTime();
            Result r = hoist(Map.of(), "tag", name, "v2", "--layout", "container", "--server", "nats://127.0.0.1:" + port);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.exitCode()).isEqualTo(ExitCode.KV_ERROR);
            assertThat(r.err()).isEqualTo("hoist-cli: cannot connect to NATS at nats://127.0.0.1:" + port + " (from --server): connection refused\n");
            assertThat(r.out()).isEmpty();
            assertThat(millis).as("failed fast (see FAILS_FAST)").isLessThan(FAILS_FAST.toMillis());
        }
    }

    @Test
    void a_broker_that_never_answers_times_out_in_seconds() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            Result r = hoist(Map.of(), "tag", name, "--layout", "container", "--server", "127.0.0.1:" + silent.getLocalPort());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.exitCode()).isEqualTo(ExitCode.KV_ERROR);
            assertThat(r.err().lines()).singleElement().asString()
                    .startsWith("hoist-cli: cannot connect to NATS at nats://127.0.0.1:" + silent.getLocalPort() + " (from --server): ");
            assertThat(millis).as("gave up after one connect timeout (see FAILS_FAST)").isLessThan(FAILS_FAST.toMillis());
        }
    }

    @Test
    void HOIST_NATS_URL_names_the_broker() throws Exception {
        createBucket("HOIST_" + name);
        bucket("HOIST_" + name).put("TAG", "v4");
        Result r = hoist(Map.of("HOIST_NATS_URL", url), "tag", name);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).isEqualTo("v4\n");
    }

    @Test
    void a_choria_client_config_is_parsed_and_used() throws Exception {
        String hostPort = url.replaceFirst("^nats://", "");
        Path conf = Files.writeString(home.resolve("client.conf"), String.join("\n",
                "# written like puppet-choria's client.conf, for a Choria built without TLS",
                "plugin.choria.middleware_hosts = " + hostPort,
                "plugin.security.provider = file",
                "loglevel = warn"));
        Result put = hoist(Map.of("HOIST_NATS_URL", "nats://127.0.0.1:1"), "tag", name, "v2", "--create", "--choria-config", conf.toString());
        assertThat(put.exitCode()).as(put.err()).isEqualTo(ExitCode.OK);
        assertThat(bucket("HOIST_" + name).get("TAG").getValueAsString()).isEqualTo("v2");

        // with no flags and no HOIST_NATS_URL, ~/.choriarc is found as Choria's own client finds it
        Files.copy(conf, home.resolve(".choriarc"));
        Result get = hoist(Map.of(), "tag", name);
        assertThat(get.exitCode()).as(get.err()).isEqualTo(ExitCode.OK);
        assertThat(get.out()).isEqualTo("v2\n");
    }
}
