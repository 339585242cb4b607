// bench/RolloutSim.java: one rollout across many simulated Hoist nodes, against a real NATS cluster
// (bench/fleet-rollout.sh starts the cluster and runs it).
//
//   java -cp hoist-cli.jar bench/RolloutSim.java --servers URL,URL,URL --nodes N --capacity C --canary K \
//        [--kv-interval S] [--replace-ms MS] [--pull-ms MS] [--fail-rate P] [--broken] [--threads T] \
//        [--aligned] [--old-claims] [--canary-hold S] [--governor-bin PATH] [--governor-timeout S] [--limit S] [--broker-pids P1,P2,P3] [--seed X]
//
// The operator promotes once the K canaries run the new tag and --canary-hold seconds (default one
// kv_interval, so that every node has seen the canary phase, as in a rollout whose canaries are
// watched for minutes) have passed since the start.
//
// What is Hoist's and what is simulated:
// - Hoist's own classes decide everything a node decides: RolloutPolicy (the desired tag, whether to
//   ask for a canary slot, where a failed start goes), CanarySlots (the create-only slot keys),
//   NodeState (what the node remembers: last good, failed tag, its canary claim), NodeReport (the
//   status report), RolloutService (the operator's rollout start, promote, and status), and the real
//   KV client, JetStreamTagStore (jnats), for every read and write.
// - Choria's governor is go-choria's own code: bench/governor (go-choria v0.30.2's governor package,
//   as an exec watcher enters it), one Go process campaigning for every simulated node.
// - Simulated: Choria's machine around hoist-cli (kv watchers poll the tag, the failure marker and
//   the rollout every --kv-interval, each node at its own phase; a changed tag or rollout fires
//   UPDATE (hoist-cli update: refresh, canary claim, a status report, --pull-ms), then the check, and
//   when the container should run another tag REMEDIATE: hoist-cli start --if-needed under the
//   governor), and Docker: a replacement takes --replace-ms; with --fail-rate P it fails (an Engine
//   or pull error, retried at the next remediation, 30 s later) with probability P; with --broken,
//   the new tag never passes the health gate (rolled back, marked failed for the fleet).
// Prints one block of figures; exit 0 when the two invariants hold (canary slots taken == K; no node
// left behind: every node on the new tag, or with --broken on the old one, and no more nodes tried
// the broken tag than the governor's capacity), 3 when one is broken, 2 when the run timed out.
import io.choria.hoist.kv.ConnectionSettings;
import io.choria.hoist.kv.JetStreamTagStore;
import io.choria.hoist.kv.TagEntry;
import io.choria.hoist.lifecycle.NodeState;
import io.choria.hoist.rollout.CanarySlots;
import io.choria.hoist.rollout.FleetView;
import io.choria.hoist.rollout.NodeReport;
import io.choria.hoist.rollout.RolloutPolicy;
import io.choria.hoist.rollout.RolloutRecord;
import io.choria.hoist.rollout.RolloutService;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.WatcherData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

public class RolloutSim {
    static final String IMAGE = "example/web";
    static final ContainerSpec SPEC = SpecParser.parse(
            "{\"name\": \"web\", \"image\": \"" + IMAGE + "\", \"image_tag\": \"v1\", \"kv_update\": true}", "container.json");
    static final KvLocation TAG = SPEC.kv();
    static final String OLD = "v1";
    static final String NEW = "v2";
    /** Choria's exec watcher runs the remediation again this long after a run that failed. */
    static final long REMEDIATE_RETRY_MS = 30_000;

    // --- settings
    static List<String> servers;
    static int nodes, capacity, canary, threads;
    static long kvIntervalMs, canaryHoldMs, replaceMs, pullMs, governorTimeoutMs, limitMs;
    static double failRate;
    static boolean broken, aligned, oldClaims;

    // --- figures
    static final Recorder getMs = new Recorder(), createMs = new Recorder(), claimMs = new Recorder(), writeMs = new Recorder(), govWaitMs = new Recorder(),
            lagMs = new Recorder();
    static final AtomicLong kvErrors = new AtomicLong(), govTimeouts = new AtomicLong(), govErrors = new AtomicLong(),
            transientFailures = new AtomicLong(), replacements = new AtomicLong();
    static final AtomicInteger onNew = new AtomicInteger(), canariesTookTag = new AtomicInteger(), slotsTaken = new AtomicInteger(),
            triedBroken = new AtomicInteger(), busy = new AtomicInteger(), govHeldMax = new AtomicInteger();
    static volatile long rolloutStartNs, promotedNs, lastOnNewNs, markerWrittenNs;
    static volatile boolean promoted;

    static ScheduledThreadPoolExecutor pool;
    static ThreadLocal<JetStreamTagStore> stores;
    static Governor governor;
    static Node[] fleet;

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        servers = List.of(o.get("servers").split(","));
        nodes = Integer.parseInt(o.get("nodes"));
        capacity = Integer.parseInt(o.getOrDefault("capacity", "10"));
        canary = Integer.parseInt(o.getOrDefault("canary", "1"));
        kvIntervalMs = (long) (Double.parseDouble(o.getOrDefault("kv-interval", "10")) * 1000);
        replaceMs = Long.parseLong(o.getOrDefault("replace-ms", "2000"));
        pullMs = Long.parseLong(o.getOrDefault("pull-ms", "500"));
        failRate = Double.parseDouble(o.getOrDefault("fail-rate", "0"));
        broken = o.containsKey("broken");
        aligned = o.containsKey("aligned");
        oldClaims = o.containsKey("old-claims");
        threads = Integer.parseInt(o.getOrDefault("threads", "24"));
        governorTimeoutMs = Long.parseLong(o.getOrDefault("governor-timeout", "300")) * 1000;
        limitMs = Long.parseLong(o.getOrDefault("limit", "1800")) * 1000;
        canaryHoldMs = (long) (Double.parseDouble(o.getOrDefault("canary-hold", Double.toString(kvIntervalMs / 1000.0))) * 1000);
        long seed = Long.parseLong(o.getOrDefault("seed", "29"));
        List<Long> brokerPids = new ArrayList<>();
        for (String p : o.getOrDefault("broker-pids", "").split(",")) {
            if (!p.isBlank()) {
                brokerPids.add(Long.parseLong(p.trim()));
            }
        }

        // One KV connection per worker thread, spread over the servers, as a fleet's Choria servers spread.
        AtomicInteger conn = new AtomicInteger();
        stores = ThreadLocal.withInitial(() -> connect(servers.get(conn.getAndIncrement() % servers.size())));
        JetStreamTagStore admin = connect(servers.get(0));
        setUp(admin);

        governor = new Governor(o.get("governor-bin"), String.join(",", servers), capacity, Math.max(4, Math.min(48, nodes / 100)));
        pool = new ScheduledThreadPoolExecutor(threads);
        pool.setRemoveOnCancelPolicy(true);
        Random rnd = new Random(seed);
        fleet = new Node[nodes];
        for (int i = 0; i < nodes; i++) {
            fleet[i] = new Node(i, new Random(rnd.nextLong()));
        }

        // The fleet before the rollout: every node on v1 and healthy, its report in the status bucket.
        long t0 = System.nanoTime();
        List<java.util.concurrent.Future<?>> first = new ArrayList<>();
        for (Node n : fleet) {
            first.add(pool.submit(() -> n.report(true, null, "RUN", n.decide(n.data))));
        }
        for (var f : first) {
            f.get();
        }
        say("fleet of %d nodes on %s reported in %.1f s; polling every %.0f s (kv watchers: tag, failed marker, rollout)", nodes, OLD,
                secs(System.nanoTime() - t0), kvIntervalMs / 1000.0);
        for (Node n : fleet) {
            n.startPolling();
        }
        Thread.sleep(kvIntervalMs + 1000);
        resetFigures();

        // The rollout, as the operator runs it.
        RolloutService operator = new RolloutService(admin, Clock.systemUTC(), m -> say("operator: %s", m));
        long[] cpu0 = cpu(brokerPids);
        long simCpu0 = simCpu();
        long wall0 = System.nanoTime();
        rolloutStartNs = System.nanoTime();
        RolloutRecord r = operator.start(TAG, NEW, canary, null, false);
        say("rollout %s of %s started: canary %d, governor capacity %d%s", r.id(), NEW, canary, capacity, broken ? ", a BROKEN release" : "");
        int outcome = 0;
        long deadline = System.nanoTime() + limitMs * 1_000_000;
        while (true) {
            Thread.sleep(200);
            if (canary > 0 && !promoted && canariesTookTag.get() >= Math.min(canary, nodes) && !broken
                    && System.nanoTime() - rolloutStartNs >= canaryHoldMs * 1_000_000) {
                operator.change(TAG, "promote", RolloutRecord::promote);
                promotedNs = System.nanoTime();
                promoted = true;
                say("operator: promoted after %.1f s (%d canaries healthy on %s)", secs(promotedNs - rolloutStartNs), canariesTookTag.get(), NEW);
            }
            if (settled()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                outcome = 2;
                say("TIMED OUT after %d s: %d of %d nodes on %s, %d busy", limitMs / 1000, onNew.get(), nodes, NEW, busy.get());
                break;
            }
        }
        long endNs = System.nanoTime();
        long[] cpu1 = cpu(brokerPids);
        long simCpu1 = simCpu();
        for (Node n : fleet) {
            n.stopPolling();
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        double window = secs(endNs - wall0);

        // rollout status, as the operator's hoist-cli computes it, over this many nodes
        System.gc();
        long h0 = usedHeap();
        long s0 = System.nanoTime();
        FleetView v = operator.view(SPEC.name(), TAG);
        double statusS = secs(System.nanoTime() - s0);
        long statusHeap = Math.max(0, usedHeap() - h0);

        // --- the figures
        System.out.println();
        System.out.printf("== rollout of %s to %d simulated nodes: governor capacity %d, canary %d, kv_interval %.0fs%s, replacement %d ms%s%s%n",
                NEW, nodes, capacity, canary, kvIntervalMs / 1000.0, aligned ? " (polls aligned)" : "", replaceMs, failRate > 0 ? ", transient failure rate " + failRate : "",
                broken ? ", BROKEN release" : "");
        if (!broken) {
            System.out.printf("time to the last node on %s: %s (canary phase %s)%n", NEW,
                    lastOnNewNs == 0 ? "never" : String.format("%.1f s", secs(lastOnNewNs - rolloutStartNs)),
                    canary == 0 ? "none" : promoted ? String.format("%.1f s", secs(promotedNs - rolloutStartNs)) : "not promoted");
        } else {
            System.out.printf("broken release marked failed after %s; every node settled on %s after %.1f s%n",
                    markerWrittenNs == 0 ? "never" : String.format("%.1f s", secs(markerWrittenNs - rolloutStartNs)), OLD, secs(endNs - rolloutStartNs));
        }
        for (int i = 0; i < brokerPids.size(); i++) {
            double c = cpu1[i] - cpu0[i];
            System.out.printf("broker %d (pid %d) CPU: %.1f s over %.1f s = %.0f %% of a core%n", i + 1, brokerPids.get(i), c / HZ, window,
                    100 * c / HZ / window);
        }
        System.out.printf("simulator CPU: %.1f s over %.1f s = %.0f %% of a core (threads %d)%n", (simCpu1 - simCpu0) / 1e9, window,
                100 * (simCpu1 - simCpu0) / 1e9 / window, threads);
        long ops = getMs.count() + createMs.count() + writeMs.count();
        System.out.printf("KV ops: %d in %.1f s = %.0f/s (gets %d, create-only %d, writes %d), errors %d%n", ops, window, ops / window,
                getMs.count(), createMs.count(), writeMs.count(), kvErrors.get());
        System.out.printf("KV latency ms: get %s%n", getMs.percentiles());
        System.out.printf("KV latency ms: create-only %s%n", createMs.percentiles());
        System.out.printf("KV latency ms: write %s%n", writeMs.percentiles());
        System.out.printf("canary claims (CanarySlots.claim: its gets and create-only writes, counted above) ms: %s%n", claimMs.percentiles());
        System.out.printf("poll lag behind schedule ms (the simulator's own delay): %s%n", lagMs.percentiles());
        System.out.printf("governor waits ms (%d slots, most held at once (the governor's own count) %d, timeouts %d, errors %d): %s%n", govWaitMs.count(),
                govHeldMax.get(), govTimeouts.get(), govErrors.get(), govWaitMs.percentiles());
        System.out.flush();
        governor.close();
        System.out.printf("replacements %d, transient failures %d%n", replacements.get(), transientFailures.get());
        int slots = countSlots(admin, r);
        boolean canaryOk = canary == 0 || broken || slots == Math.min(canary, nodes) && canariesTookTag.get() == Math.min(canary, nodes);
        System.out.printf("canary slots taken: %d (canaries that took %s before the promotion: %d; want exactly %d)  %s%n", slots, NEW,
                canariesTookTag.get(), Math.min(canary, nodes), canaryOk ? "ok" : "BROKEN");
        int behind = 0;
        for (Node n : fleet) {
            if (!n.running.equals(broken ? OLD : NEW)) {
                behind++;
            }
        }
        System.out.printf("nodes left behind (not on %s): %d  %s%n", broken ? OLD : NEW, behind, behind == 0 ? "ok" : "BROKEN");
        boolean brokenOk = !broken || triedBroken.get() <= capacity && triedBroken.get() >= 1;
        if (broken) {
            System.out.printf("nodes that tried the broken release: %d (governor capacity %d)  %s%n", triedBroken.get(), capacity,
                    brokenOk ? "ok" : "BROKEN");
        }
        Map<String, TagEntry> st = admin.entries(RolloutService.STATUS_BUCKET, SPEC.name() + ".>");
        long bytes = 0;
        for (TagEntry e : st.values()) {
            bytes += e.value().length();
        }
        System.out.printf("status bucket: %d reports, %d bytes of values (%.0f per node)%n", st.size(), bytes, (double) bytes / Math.max(1, st.size()));
        System.out.printf("rollout status in-process (RolloutService.view): %.2f s, about %d MB of heap; verdict %s: %s%n", statusS,
                statusHeap >> 20, v.verdict(), v.summary().length() > 160 ? v.summary().substring(0, 160) + "..." : v.summary());
        if (outcome == 0 && !(canaryOk && behind == 0 && brokenOk)) {
            outcome = 3;
        }
        admin.close();
        System.out.flush();
        System.exit(outcome);
    }

    /** The rollout is over: good release, every node on it and idle; broken, the marker written and every node idle on v1. */
    static boolean settled() {
        if (busy.get() > 0) {
            return false;
        }
        if (!broken) {
            return onNew.get() == nodes;
        }
        if (markerWrittenNs == 0) {
            return false;
        }
        // Every node has polled since the marker was written, and none is on the broken tag.
        for (Node n : fleet) {
            if (n.lastPollNs < markerWrittenNs || !n.running.equals(OLD)) {
                return false;
            }
        }
        return true;
    }

    /** One simulated node: Choria's machine around Hoist's decisions. */
    static final class Node {
        final String identity;
        final Random rnd;
        WatcherData data = WatcherData.empty();
        NodeState state;
        volatile String running = OLD;
        String machine = "RUN";
        ScheduledFuture<?> poller;
        volatile long lastPollNs;
        long nextPollNs;

        Node(int i, Random rnd) {
            this.identity = String.format("node%05d.example", i);
            this.rnd = rnd;
            this.state = NodeState.EMPTY.started(IMAGE, OLD, digest(OLD), false, Instant.now());
        }

        void startPolling() {
            // Choria's kv watcher polls on a ticker from its machine's start (and at state changes):
            // a fleet's phases are its machines' start times, spread; --aligned starts them all at once.
            long phase = aligned ? 0 : (long) (rnd.nextDouble() * kvIntervalMs);
            nextPollNs = System.nanoTime() + phase * 1_000_000;
            poller = pool.scheduleAtFixedRate(this::poll, phase, kvIntervalMs, TimeUnit.MILLISECONDS);
        }

        void stopPolling() {
            if (poller != null) {
                poller.cancel(false);
            }
        }

        /** Choria's three kv watchers (tag, failed_tag, rollout): a get each; a changed tag or rollout fires update. */
        synchronized void poll() {
            long now = System.nanoTime();
            lagMs.add((now - nextPollNs) / 1e6);
            nextPollNs += kvIntervalMs * 1_000_000;
            if (!machine.equals("RUN") && !machine.equals("REMEDIATE")) {
                return;
            }
            WatcherData seen = read(data);
            if (seen == null) {
                return;
            }
            boolean changed = !same(seen, data, TAG.dataKey()) || !same(seen, data, RolloutRecord.location(TAG).dataKey());
            data = seen;
            lastPollNs = now;
            if (changed && machine.equals("RUN")) {
                machine = "UPDATE";
                busy.incrementAndGet();
                pool.execute(this::update);
            }
        }

        /** hoist-cli update (no governor): the KV read fresh, a canary slot asked for, a report; then the check. */
        synchronized void update() {
            WatcherData fresh = read(data);
            WatcherData d = fresh == null ? data : fresh;
            claimCanary(d);
            report(true, null, "UPDATE", decide(d));
            pool.schedule(this::check, pullMs, TimeUnit.MILLISECONDS);
        }

        /**
         * FORCE_CHECK on the machine data: OK to RUN (its report is what update wrote: not news), or
         * CRITICAL (another tag wanted: news, written) to REMEDIATE.
         */
        synchronized void check() {
            RolloutPolicy.Decision d = decide(data);
            if (d.tag().equals(running)) {
                machine = "RUN";
                busy.decrementAndGet();
                return;
            }
            report(false, "check failed: web runs " + IMAGE + ":" + running + ", should run " + IMAGE + ":" + d.tag(), "FORCE_CHECK", d);
            machine = "REMEDIATE";
            remediate();
        }

        /** REMEDIATE: hoist-cli start --if-needed, which Choria runs under the governor. */
        void remediate() {
            governor.enter(identity, governorTimeoutMs, (ok, waitMs) -> {
                govWaitMs.add(waitMs);
                if (!ok) {
                    // The remediation's exec watcher runs again at its next 30 s tick.
                    pool.schedule(this::remediate, (long) (rnd.nextDouble() * REMEDIATE_RETRY_MS), TimeUnit.MILLISECONDS);
                    return;
                }
                pool.execute(this::startIfNeeded);
            });
        }

        synchronized void startIfNeeded() {
            WatcherData fresh = read(data);
            WatcherData d = fresh == null ? data : fresh;
            claimCanary(d);
            RolloutPolicy.Decision want = decide(d);
            if (want.tag().equals(running)) {
                report(true, null, "REMEDIATE", want);
                done();
                return;
            }
            replacements.incrementAndGet();
            if (want.tag().equals(NEW) && broken) {
                triedBroken.incrementAndGet();
            }
            pool.schedule(() -> replaced(want), replaceMs, TimeUnit.MILLISECONDS);
        }

        /** The replacement's outcome: a transient failure, the health gate failed (rollback), or the new tag runs. */
        synchronized void replaced(RolloutPolicy.Decision want) {
            Instant now = Instant.now();
            if (failRate > 0 && rnd.nextDouble() < failRate) {
                transientFailures.incrementAndGet();
                report(false, "cannot pull " + IMAGE + ":" + want.tag() + " (simulated)", "REMEDIATE", want);
                governor.leave(identity);
                pool.schedule(this::remediate, REMEDIATE_RETRY_MS, TimeUnit.MILLISECONDS);
                return;
            }
            if (broken && want.tag().equals(NEW)) {
                String why = IMAGE + ":" + NEW + " did not become healthy (simulated)";
                Optional<RolloutPolicy.Rollback> back = RolloutPolicy.afterFailedStart(want, state.lastGoodTag(IMAGE));
                state = state.failedToStart(SPEC.imageRef(NEW), why, now);
                if (back.isPresent()) {
                    state = state.rolledBackFrom(IMAGE, NEW, why, now);
                    if (back.get().markFleet()) {
                        timed(writeMs, () -> stores.get().put(TAG.failedMarker(), NEW));
                        if (markerWrittenNs == 0) {
                            markerWrittenNs = System.nanoTime();
                        }
                    }
                    String good = back.get().tag();
                    pool.schedule(() -> rolledBack(good), replaceMs, TimeUnit.MILLISECONDS);
                    return;
                }
                report(false, why, "REMEDIATE", want);
                done();
                return;
            }
            running = want.tag();
            state = state.started(IMAGE, running, digest(running), want.isRollback(), now);
            if (running.equals(NEW)) {
                onNew.incrementAndGet();
                lastOnNewNs = System.nanoTime();
                if (!promoted && state.canary() != null && state.canary().slot() > 0) {
                    canariesTookTag.incrementAndGet();
                }
            }
            report(true, null, "REMEDIATE", want);
            done();
        }

        synchronized void rolledBack(String good) {
            running = good;
            state = state.started(IMAGE, good, digest(good), true, Instant.now());
            report(true, null, "REMEDIATE", new RolloutPolicy.Decision(good, RolloutPolicy.Source.ROLLBACK, "rolled back", null));
            done();
        }

        void done() {
            governor.leave(identity);
            machine = "RUN";
            busy.decrementAndGet();
        }

        /** Lifecycle.claimCanary: ask when a rollout in its canary phase governs the tag and this node has not asked. */
        void claimCanary(WatcherData d) {
            Optional<RolloutRecord> r = RolloutPolicy.needsCanaryClaim(SPEC, facts(d));
            if (r.isEmpty()) {
                return;
            }
            Integer slot = timed(claimMs, () -> oldClaims ? claimAsBefore(new Timed(stores.get()), r.get(), identity)
                    : CanarySlots.claim(new Timed(stores.get()), TAG, r.get(), identity));
            if (slot == null) {
                return;
            }
            if (slot > 0) {
                slotsTaken.incrementAndGet();
            }
            state = state.claimed(new RolloutPolicy.CanaryClaim(r.get().id(), slot));
        }

        RolloutPolicy.Facts facts(WatcherData d) {
            return RolloutPolicy.Facts.of(SPEC, d, running, state.failedTag(IMAGE), state.lastGoodTag(IMAGE), state.canary());
        }

        RolloutPolicy.Decision decide(WatcherData d) {
            return RolloutPolicy.decide(SPEC, facts(d));
        }

        /** The node's report, as StatusReporter writes it (NAME.IDENTITY in HOIST_STATUS). */
        void report(boolean healthy, String error, String machineState, RolloutPolicy.Decision d) {
            String now = Instant.now().toString();
            NodeReport r = new NodeReport(identity, SPEC.name(), running, digest(running), d.tag(), healthy && error == null,
                    healthy ? now : null, machineState, state.lastGoodTag(IMAGE), state.failedTag(IMAGE), error,
                    state.canary() == null ? null : state.canary().rollout(), state.canary() == null ? null : state.canary().slot(), now);
            timed(writeMs, () -> {
                stores.get().putRaw(RolloutService.STATUS_BUCKET, SPEC.name() + "." + identity, r.toJson());
                return Boolean.TRUE;
            });
        }
    }

    /**
     * --old-claims: CanarySlots.claim as it was before issue 29 (every slot tried with a create-only
     * write, also when all are taken), kept here only to measure the change against.
     */
    static int claimAsBefore(io.choria.hoist.kv.TagStore kv, RolloutRecord r, String identity) {
        for (int slot = 1; slot <= r.canary(); slot++) {
            if (kv.createKey(r.slot(TAG, slot), identity)) {
                return slot;
            }
        }
        return 0;
    }

    /** The store as CanarySlots uses it, each get and create-only write timed and counted on its own. */
    static final class Timed implements io.choria.hoist.kv.TagStore {
        final JetStreamTagStore kv;

        Timed(JetStreamTagStore kv) {
            this.kv = kv;
        }

        @Override
        public Optional<TagEntry> get(KvLocation loc) {
            long t = System.nanoTime();
            Optional<TagEntry> e = kv.get(loc);
            getMs.add((System.nanoTime() - t) / 1e6);
            return e;
        }

        @Override
        public boolean createKey(KvLocation loc, String value) {
            long t = System.nanoTime();
            boolean made = kv.createKey(loc, value);
            createMs.add((System.nanoTime() - t) / 1e6);
            return made;
        }

        @Override
        public List<TagEntry> history(KvLocation loc) {
            return kv.history(loc);
        }

        @Override
        public TagEntry put(KvLocation loc, String value) {
            return kv.put(loc, value);
        }

        @Override
        public void delete(KvLocation loc) {
            kv.delete(loc);
        }

        @Override
        public void create(String bucket, int history, int replicas) {
            kv.create(bucket, history, replicas);
        }

        @Override
        public void close() {
        }
    }

    /** The tag, the marker and the rollout as the KV has them now (three gets); null when the KV failed. */
    static WatcherData read(WatcherData base) {
        JetStreamTagStore kv = stores.get();
        KvLocation rollout = RolloutRecord.location(TAG);
        Optional<TagEntry> tag = timed(getMs, () -> kv.get(TAG));
        Optional<TagEntry> marker = timed(getMs, () -> kv.get(TAG.failedMarker()));
        Optional<TagEntry> record = timed(getMs, () -> kv.get(rollout));
        if (tag == null || marker == null || record == null) {
            return null;
        }
        return base.with(TAG.dataKey(), tag.map(TagEntry::value).orElse(null))
                .with(TAG.failedMarker().dataKey(), marker.map(TagEntry::value).orElse(null))
                .with(rollout.dataKey(), record.map(TagEntry::value).orElse(null));
    }

    static boolean same(WatcherData a, WatcherData b, String key) {
        return a.value(key).equals(b.value(key));
    }

    static <T> T timed(Recorder rec, Supplier<T> op) {
        long t = System.nanoTime();
        try {
            T v = op.get();
            rec.add((System.nanoTime() - t) / 1e6);
            return v;
        } catch (RuntimeException e) {
            kvErrors.incrementAndGet();
            if (kvErrors.get() <= 5) {
                say("KV error: %s", e.getMessage());
            }
            return null;
        }
    }

    static String digest(String tag) {
        return "sha256:" + Integer.toHexString(tag.hashCode());
    }

    static int countSlots(JetStreamTagStore kv, RolloutRecord r) {
        int n = 0;
        for (int slot = 1; slot <= r.canary() + 1; slot++) {
            if (kv.get(r.slot(TAG, slot)).isPresent()) {
                n++;
            }
        }
        return n;
    }

    static void setUp(JetStreamTagStore admin) throws InterruptedException {
        // Eventually: the cluster has a JetStream meta leader and makes 3-replica buckets (seconds after the routes connect).
        long until = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                admin.create(TAG.bucket(), 5, 3);
                break;
            } catch (RuntimeException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
        admin.ensureBucket(RolloutService.STATUS_BUCKET, 3, Duration.ofMinutes(15));
        admin.put(TAG, OLD);
    }

    static JetStreamTagStore connect(String url) {
        return JetStreamTagStore.connect(new ConnectionSettings(List.of(url), null, null, "bench", Duration.ofSeconds(5)));
    }

    static void resetFigures() {
        for (Recorder r : List.of(getMs, createMs, claimMs, writeMs, govWaitMs, lagMs)) {
            r.clear();
        }
        kvErrors.set(0);
    }

    static final double HZ = 100;

    static long[] cpu(List<Long> pids) {
        long[] out = new long[pids.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                String[] f = Files.readString(Path.of("/proc/" + pids.get(i) + "/stat")).split("\\) ", 2)[1].split(" ");
                out[i] = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (Exception e) {
                out[i] = 0;
            }
        }
        return out;
    }

    static long simCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static double secs(long nanos) {
        return nanos / 1e9;
    }

    static void say(String f, Object... a) {
        System.err.printf("[sim %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(f, a));
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                o.put(k, args[++i]);
            } else {
                o.put(k, "true");
            }
        }
        return o;
    }

    /** Latencies in ms; percentiles on demand. */
    static final class Recorder {
        private double[] v = new double[1 << 16];
        private int n;

        synchronized void add(double x) {
            if (n == v.length) {
                v = Arrays.copyOf(v, n * 2);
            }
            v[n++] = x;
        }

        synchronized long count() {
            return n;
        }

        synchronized void clear() {
            n = 0;
        }

        synchronized String percentiles() {
            if (n == 0) {
                return "none";
            }
            double[] s = Arrays.copyOf(v, n);
            Arrays.sort(s);
            return String.format("p50 %.1f p90 %.1f p99 %.1f max %.1f (n %d)", s[(int) (n * 0.5)], s[(int) (n * 0.9)], s[Math.min(n - 1, (int) (n * 0.99))],
                    s[n - 1], n);
        }
    }

    /** go-choria's governor, through bench/governor (one Go process; one campaign per enter, as an exec watcher's). */
    static final class Governor implements AutoCloseable {
        interface Answer {
            void got(boolean slot, double waitMs);
        }

        final Process p;
        final PrintWriter in;
        final Map<String, Answer> waiting = new ConcurrentHashMap<>();

        Governor(String bin, String urls, int capacity, int conns) throws Exception {
            p = new ProcessBuilder(bin, "-servers", urls, "-name", "HOIST_SIM", "-create", Integer.toString(capacity), "-conns",
                    Integer.toString(conns)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (!"ready".equals(first)) {
                throw new IllegalStateException("bench/governor did not start: " + first);
            }
            Thread t = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        String[] f = line.split(" ", 5);
                        switch (f[0]) {
                            case "slot" -> {
                                govHeldMax.accumulateAndGet(Integer.parseInt(f[4]), Math::max);
                                answer(f[1], true, Double.parseDouble(f[3]));
                            }
                            case "timeout" -> {
                                govTimeouts.incrementAndGet();
                                answer(f[1], false, Double.parseDouble(f[2]));
                            }
                            case "error" -> {
                                govErrors.incrementAndGet();
                                say("governor: %s", line);
                                if (!f[3].startsWith("leave")) {
                                    answer(f[1], false, Double.parseDouble(f[2]));
                                }
                            }
                            default -> { }
                        }
                    }
                } catch (Exception e) {
                    say("governor reader: %s", e);
                }
            }, "governor");
            t.setDaemon(true);
            t.start();
        }

        void answer(String id, boolean ok, double ms) {
            Answer a = waiting.remove(id);
            if (a != null) {
                a.got(ok, ms);
            }
        }

        synchronized void enter(String id, long timeoutMs, Answer a) {
            waiting.put(id, a);
            in.println("enter " + id + " " + timeoutMs);
        }

        synchronized void leave(String id) {
            in.println("leave " + id);
        }

        @Override
        public void close() throws InterruptedException {
            in.close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroy();
            }
        }
    }
}
