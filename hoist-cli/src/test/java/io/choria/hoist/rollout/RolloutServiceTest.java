package io.choria.hoist.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.HoistException;
import io.choria.hoist.spec.KvLocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an operator's rollout commands write, and what rollout status makes of the fleet's reports. */
class RolloutServiceTest {
    static final KvLocation TAG = KvLocation.perContainer("web");
    final MemoryKv kv = new MemoryKv().bucket("HOIST_web");
    final List<String> said = new ArrayList<>();
    Instant now = Instant.parse("2026-12-03T10:00:00Z");

    RolloutService service() {
        return new RolloutService(kv, Clock.fixed(now, ZoneOffset.UTC), said::add);
    }

    void report(String node, String tag, boolean healthy, String failed) {
        kv.bucket(RolloutService.STATUS_BUCKET).putRaw(RolloutService.STATUS_BUCKET, "web." + node,
                new NodeReport(node, "web", tag, "sha256:" + tag, tag, healthy, null, "RUN", tag, failed, null, null, null, now.toString()).toJson());
    }

    @Test
    void start_writes_the_rollout_then_clears_the_marker_then_writes_the_tag() {
        kv.put(TAG, "v1");
        kv.put(TAG.failedMarker(), "v0");
        RolloutRecord r = service().start(TAG, "v2", 1, Duration.ofMinutes(10), false);
        assertThat(kv.get(TAG).get().value()).isEqualTo("v2");
        assertThat(kv.get(TAG.failedMarker())).isEmpty();
        assertThat(RolloutRecord.parse(kv.get(RolloutRecord.location(TAG)).get().value())).contains(r);
        assertThat(r.from()).isEqualTo("v1");
        assertThat(r.deadline()).isEqualTo("2026-12-03T10:10:00Z");
        assertThat(kv.get(RolloutRecord.location(TAG)).get().revision()).isLessThan(kv.get(TAG).get().revision());
    }

    @Test
    void two_nodes_can_never_both_take_the_last_canary_slot() {
        kv.put(TAG, "v1");
        RolloutRecord r = service().start(TAG, "v2", 1, null, false);
        assertThat(kv.createKey(r.slot(TAG, 1), "n1")).isTrue();
        assertThat(kv.createKey(r.slot(TAG, 1), "n2")).isFalse();
    }

    @Test
    void promote_pause_resume_abort() {
        kv.put(TAG, "v1");
        service().start(TAG, "v2", 1, null, false);
        assertThat(service().change(TAG, "promote", RolloutRecord::promote).phase()).isEqualTo(RolloutRecord.Phase.ROLLING);
        assertThat(service().change(TAG, "pause", x -> x.pause(true)).phase()).isEqualTo(RolloutRecord.Phase.PAUSED);
        assertThat(service().change(TAG, "resume", x -> x.pause(false)).phase()).isEqualTo(RolloutRecord.Phase.ROLLING);
        RolloutRecord aborted = service().abort(TAG, "aborted by the operator");
        assertThat(aborted.phase()).isEqualTo(RolloutRecord.Phase.ABORTED);
        assertThat(kv.get(TAG).get().value()).isEqualTo("v1");
        assertThatThrownBy(() -> service().change(TAG, "promote", RolloutRecord::promote)).isInstanceOf(HoistException.class)
                .hasMessageContaining("no rollout to promote").hasMessageContaining("was aborted");
    }

    @Test
    void a_plain_tag_write_supersedes_the_rollout_and_status_shows_the_seed_write() {
        kv.put(TAG, "v1");
        service().start(TAG, "v2", 1, null, false);
        kv.put(TAG, "v3");
        assertThatThrownBy(() -> service().change(TAG, "pause", x -> x.pause(true))).hasMessageContaining("superseded");
        report("n1", "v3", true, null);
        report("n2", "v3", true, null);
        FleetView v = service().view("web", TAG);
        assertThat(v.rollout()).isNull();
        assertThat(v.verdict()).isEqualTo(FleetView.Verdict.COMPLETE);
        assertThat(v.summary()).isEqualTo("v3: 2 healthy");
    }

    @Test
    void status_summarises_and_names_the_failed_tag() {
        kv.put(TAG, "v2");
        kv.put(TAG.failedMarker(), "v3");
        report("n1", "v2", true, null);
        report("n2", "v2", false, null);
        report("n3", "v1", true, null);
        report("n4", "v2", true, "v3");
        FleetView v = service().view("web", TAG);
        assertThat(v.summary()).isEqualTo("v2: 2 healthy, 1 starting; v1: 1; failed: v3 on n4");
        assertThat(v.verdict()).isEqualTo(FleetView.Verdict.IN_PROGRESS);
        kv.put(TAG, "v3");
        assertThat(service().view("web", TAG).verdict()).isEqualTo(FleetView.Verdict.FAILED);
    }

    @Test
    void canaries_healthy_then_the_deadline_fails_the_rollout_and_auto_revert_aborts_it() {
        kv.put(TAG, "v1");
        service().start(TAG, "v2", 1, Duration.ofSeconds(30), true);
        report("n1", "v2", true, null);
        report("n2", "v1", true, null);
        FleetView v = service().view("web", TAG);
        assertThat(v.verdict()).isEqualTo(FleetView.Verdict.CANARIES_HEALTHY);
        assertThat(v.done()).isEqualTo(1);
        assertThat(v.wanted()).isEqualTo(1);
        now = now.plusSeconds(31);
        v = service().view("web", TAG);
        assertThat(v.verdict()).isEqualTo(FleetView.Verdict.ABORTED);
        assertThat(v.rollout().outcome()).contains("deadline 2026-12-03T10:00:30Z passed with 1 of 2 nodes healthy on v2").contains("reverted");
        assertThat(kv.get(TAG).get().value()).isEqualTo("v1");
        assertThat(said).anySatisfy(s -> assertThat(s).contains("aborted it (--auto-revert)"));
    }

    @Test
    void without_auto_revert_the_deadline_only_marks_it_failed() {
        kv.put(TAG, "v1");
        service().start(TAG, "v2", 0, Duration.ofSeconds(30), false);
        report("n1", "v1", true, null);
        now = now.plusSeconds(60);
        FleetView v = service().view("web", TAG);
        assertThat(v.verdict()).isEqualTo(FleetView.Verdict.FAILED);
        assertThat(kv.get(TAG).get().value()).isEqualTo("v2");
        assertThat(service().view("web", TAG).rollout().outcome()).startsWith("deadline");
    }

    @Test
    void no_status_bucket_is_no_nodes() {
        kv.put(TAG, "v1");
        assertThat(service().view("web", TAG).verdict()).isEqualTo(FleetView.Verdict.NO_NODES);
    }
}
