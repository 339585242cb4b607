package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.choria.hoist.rollout.NodeReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a node writes into the status bucket, and when: only news, plus a refresh before the TTL. */
class StatusReporterTest {
    @TempDir Path folder;
    final LifecycleTest.FakeClock clock = new LifecycleTest.FakeClock();
    final List<NodeReport> written = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    int sinksMade;
    boolean broker = true;

    StatusReporter reporter() {
        return new StatusReporter(folder, () -> {
            sinksMade++;
            return r -> {
                if (!broker) {
                    return false;
                }
                written.add(r);
                return true;
            };
        }, clock, warnings::add);
    }

    static NodeReport healthy(String tag) {
        return new NodeReport("n1", "web", tag, "sha256:" + tag, tag, true, null, "RUN", tag, null, null, null, null, null);
    }

    @Test
    void a_check_that_finds_nothing_new_writes_nothing_and_makes_no_sink() {
        reporter().report(healthy("v1"), false);
        assertThat(written).hasSize(1);
        clock.advance(5_000);
        reporter().report(healthy("v1"), false);
        assertThat(written).hasSize(1);
        assertThat(sinksMade).as("the broker's client is not even made").isEqualTo(1);
    }

    @Test
    void news_is_written_at_once_and_healthy_since_is_kept_while_it_stays_healthy() {
        reporter().report(healthy("v1"), false);
        String since = written.get(0).since();
        clock.advance(5_000);
        reporter().report(healthy("v1").withAt(null), true);
        assertThat(written.get(1).since()).isEqualTo(since);
        clock.advance(5_000);
        reporter().report(healthy("v2"), false);
        assertThat(written).hasSize(3);
        assertThat(written.get(2).tag()).isEqualTo("v2");
        assertThat(written.get(2).since()).isNotEqualTo(since);
    }

    @Test
    void an_unchanged_report_is_refreshed_before_the_bucket_ttl_drops_it() {
        reporter().report(healthy("v1"), false);
        clock.advance(StatusReporter.REFRESH.toMillis() + 1);
        reporter().report(healthy("v1"), false);
        assertThat(written).hasSize(2);
        assertThat(StatusReporter.REFRESH.multipliedBy(2)).isLessThan(StatusReporter.TTL);
    }

    @Test
    void without_a_broker_nothing_is_written_and_nothing_fails() {
        broker = false;
        reporter().report(healthy("v1"), false);
        assertThat(written).isEmpty();
        assertThat(Files.exists(folder.resolve(StatusReporter.FILE_NAME))).isFalse();
        assertThat(warnings).isEmpty();
    }

    @Test
    void without_a_configured_broker_nothing_is_prepared_or_written() {
        StatusReporter none = new StatusReporter(folder, () -> new StatusReporter.Sink() {
            @Override
            public boolean write(NodeReport r) {
                written.add(r);
                return true;
            }

            @Override
            public boolean configured() {
                return false;
            }
        }, clock, warnings::add);
        none.report(healthy("v1"), false);
        none.report(healthy("v1"), true);
        assertThat(written).isEmpty();
        assertThat(Files.exists(folder.resolve(StatusReporter.FILE_NAME))).isFalse();
        assertThat(warnings).isEmpty();
    }

    @Test
    void a_broker_that_fails_costs_a_warning_and_the_next_check_tries_again() {
        StatusReporter failing = new StatusReporter(folder, () -> r -> {
            throw new IllegalStateException("connection refused");
        }, clock, warnings::add);
        failing.report(healthy("v1"), false);
        assertThat(warnings).singleElement().asString().contains("connection refused");
        reporter().report(healthy("v1"), false);
        assertThat(written).hasSize(1);
    }

    @Test
    void the_machine_state_comes_from_the_watcher_name() {
        assertThat(StatusReporter.machineState(java.util.Map.of("MACHINE_WATCHER_NAME", "remediate"))).isEqualTo("REMEDIATE");
        assertThat(StatusReporter.machineState(java.util.Map.of())).isNull();
    }
}
