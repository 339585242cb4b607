// bench/FleetSim.java: many simulated Hoist nodes against one real nats-server (bench/fleet-scale.sh runs it).
//
//   java -cp hoist-cli.jar bench/FleetSim.java URL NODES CONTAINERS KV_INTERVAL_S CHECK_INTERVAL_S SECONDS CONNECTIONS [BROKER_PID]
//
// Every simulated container does what a node's machine does for it: three KV polls (the tag, the
// failure marker, the rollout: Choria's kv watchers, each a JetStream get) every KV_INTERVAL_S, and
// one status write (HOIST_STATUS, key NAME.IDENTITY) every CHECK_INTERVAL_S, the worst case (a real
// node writes only on a change or every 5 minutes). The polls of all containers are spread evenly
// over the interval. NODES x CONTAINERS containers share CONNECTIONS connections (a real node has one
// per Choria server; a simulator with 500 connections would measure its own threads, not the broker).
// Prints: gets and writes done, get latency percentiles (ms), errors, the status bucket's size, and
// with BROKER_PID the broker's CPU (user+system from /proc) over the simulated SECONDS alone.
import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public class FleetSim {
    public static void main(String[] a) throws Exception {
        String url = a[0];
        int nodes = Integer.parseInt(a[1]), containers = Integer.parseInt(a[2]);
        double kvInterval = Double.parseDouble(a[3]), checkInterval = Double.parseDouble(a[4]);
        int seconds = Integer.parseInt(a[5]), conns = Integer.parseInt(a[6]);

        List<Connection> cs = new ArrayList<>();
        for (int i = 0; i < conns; i++) {
            cs.add(Nats.connect(new Options.Builder().server(url).connectionName("fleetsim-" + i).maxReconnects(-1).build()));
        }
        var kvm = cs.get(0).keyValueManagement();
        for (int c = 0; c < containers; c++) {
            String b = "HOIST_c" + c;
            try { kvm.delete(b); } catch (Exception ignored) { }
            kvm.create(KeyValueConfiguration.builder().name(b).maxHistoryPerKey(5).storageType(StorageType.File).build());
            KeyValue kv = cs.get(0).keyValue(b);
            kv.put("TAG", "v2");
            kv.put("TAG_rollout", "{\"id\":\"bench\",\"tag\":\"v2\",\"from\":\"v1\",\"canary\":0,\"promoted\":false,\"paused\":false,"
                    + "\"aborted\":false,\"auto_revert\":false,\"started\":\"2026-12-03T00:00:00Z\"}");
        }
        try { kvm.delete("HOIST_STATUS"); } catch (Exception ignored) { }
        kvm.create(KeyValueConfiguration.builder().name("HOIST_STATUS").maxHistoryPerKey(1).ttl(Duration.ofMinutes(15))
                .storageType(StorageType.File).build());

        int total = nodes * containers;
        // One KeyValue handle per connection and bucket.
        KeyValue[][] tagKv = new KeyValue[conns][containers];
        KeyValue[] statusKv = new KeyValue[conns];
        for (int i = 0; i < conns; i++) {
            for (int c = 0; c < containers; c++) {
                tagKv[i][c] = cs.get(i).keyValue("HOIST_c" + c);
            }
            statusKv[i] = cs.get(i).keyValue("HOIST_STATUS");
        }
        long[] lat = new long[(int) Math.min(50_000_000L, (long) (total * 3 * (seconds / kvInterval + 2)))];
        AtomicLong nLat = new AtomicLong(), gets = new AtomicLong(), writes = new AtomicLong(), errors = new AtomicLong();
        String report = "{\"identity\":\"node0000.example\",\"container\":\"c0\",\"tag\":\"v2\",\"digest\":\"sha256:" + "0".repeat(64)
                + "\",\"desired\":\"v2\",\"healthy\":true,\"since\":\"2026-12-03T00:00:00Z\",\"state\":\"RUN\",\"last_good\":\"v2\","
                + "\"failed\":null,\"error\":null,\"rollout\":null,\"canary_slot\":null,\"at\":\"2026-12-03T00:00:00Z\"}";
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(Math.max(4, conns));
        long kvPeriod = (long) (kvInterval * 1_000_000), checkPeriod = (long) (checkInterval * 1_000_000);
        for (int n = 0; n < nodes; n++) {
            for (int c = 0; c < containers; c++) {
                final int conn = (n * containers + c) % conns, cont = c;
                final String key = "c" + c + ".node" + String.format("%04d", n) + ".example";
                long idx = (long) n * containers + c;
                pool.scheduleAtFixedRate(() -> {
                    for (String k : new String[] {"TAG", "TAG_failed", "TAG_rollout"}) {
                        long t0 = System.nanoTime();
                        try {
                            tagKv[conn][cont].get(k);
                            long i = nLat.getAndIncrement();
                            if (i < lat.length) {
                                lat[(int) i] = System.nanoTime() - t0;
                            }
                            gets.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                    }
                }, kvPeriod * idx / total, kvPeriod, TimeUnit.MICROSECONDS);
                pool.scheduleAtFixedRate(() -> {
                    try {
                        statusKv[conn].put(key, report);
                        writes.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }, checkPeriod * idx / total, checkPeriod, TimeUnit.MICROSECONDS);
            }
        }
        System.out.println("started " + total + " simulated containers on " + conns + " connections");
        long cpu0 = a.length > 7 ? cpuTicks(a[7]) : 0, t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long cpu1 = a.length > 7 ? cpuTicks(a[7]) : 0, t1 = System.nanoTime();
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        int m = (int) Math.min(nLat.get(), lat.length);
        long[] l = Arrays.copyOf(lat, m);
        Arrays.sort(l);
        var info = cs.get(0).jetStreamManagement().getStreamInfo("KV_HOIST_STATUS");
        System.out.printf("gets %d (%.0f/s), status writes %d (%.1f/s), errors %d%n", gets.get(), gets.get() / (double) seconds,
                writes.get(), writes.get() / (double) seconds, errors.get());
        System.out.printf("get latency ms: p50 %.2f p90 %.2f p99 %.2f max %.2f%n", pct(l, 50), pct(l, 90), pct(l, 99), m == 0 ? 0 : l[m - 1] / 1e6);
        System.out.printf("status bucket: %d keys, %d bytes%n", info.getStreamState().getMsgCount(), info.getStreamState().getByteCount());
        if (a.length > 7) {
            double cpu = (cpu1 - cpu0) / 100.0, wall = (t1 - t0) / 1e9;
            System.out.printf("broker CPU over the %.0f s simulated: %.1f s = %.0f %% of one core%n", wall, cpu, 100 * cpu / wall);
        }
        for (Connection c : cs) {
            c.close();
        }
    }

    /** utime + stime of a process, in clock ticks (100 a second on Linux). */
    static long cpuTicks(String pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", pid, "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static double pct(long[] l, int p) {
        return l.length == 0 ? 0 : l[Math.min(l.length - 1, (int) Math.ceil(p / 100.0 * l.length) - 1)] / 1e6;
    }
}
