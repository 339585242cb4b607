package io.choria.hoist.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A container's rollout across the fleet, as {@code hoist-cli rollout status} shows it: what the KV
 * asks for (the tag, the failure marker, the rollout), what every node reports, and the verdict.
 * Pure: built from what was read, so its rules are tested table by table.
 *
 * @param container the container name
 * @param target the tag being rolled out (the KV's tag), or null when the key is not set
 * @param marker the failure marker's tag, or null
 * @param rollout the rollout that governs the tag, if any
 * @param nodes every node's report, by identity
 * @param verdict where the rollout stands
 * @param summary one line: {@code v2: 7 healthy, 1 starting; v1: 1; failed: v3 on n4}
 * @param done nodes healthy on the target (in the canary phase: canaries)
 * @param wanted nodes that should be on the target now (in the canary phase: the canary count)
 */
public record FleetView(String container, String target, String marker, RolloutRecord rollout, List<NodeReport> nodes,
        Verdict verdict, String summary, int done, int wanted) {

    /** Where a rollout stands. */
    public enum Verdict {
        /** Nodes are still taking the tag. */
        IN_PROGRESS,
        /** Every canary runs the tag healthily; the rest wait for {@code rollout promote}. */
        CANARIES_HEALTHY,
        /** No node takes the tag until {@code rollout resume}. */
        PAUSED,
        /** Every reporting node runs the tag, healthy. */
        COMPLETE,
        /** A node failed the tag (the fleet's failure marker names it), or the deadline passed first. */
        FAILED,
        /** The rollout was aborted; nodes go back to the previous tag. */
        ABORTED,
        /** No node reports this container. */
        NO_NODES;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        /** Whether {@code --watch} stops here. */
        public boolean settled() {
            return this != IN_PROGRESS && this != PAUSED;
        }
    }

    public static FleetView of(String container, String target, String marker, Optional<RolloutRecord> record, List<NodeReport> reports,
            Instant now) {
        List<NodeReport> nodes = new ArrayList<>(reports);
        nodes.sort(Comparator.comparing(NodeReport::identity));
        RolloutRecord r = record.orElse(null);
        String goal = r != null && r.aborted() ? r.from() : target;
        int healthyOnGoal = (int) nodes.stream().filter(n -> n.healthy() && goal != null && goal.equals(n.tag())).count();
        int wanted = nodes.size();
        Verdict v;
        if (nodes.isEmpty()) {
            v = Verdict.NO_NODES;
        } else if (r != null && r.aborted()) {
            v = Verdict.ABORTED;
        } else if (target != null && target.equals(marker) || r != null && r.outcome() != null) {
            v = Verdict.FAILED;
        } else if (healthyOnGoal == nodes.size()) {
            v = Verdict.COMPLETE;
        } else if (r != null && r.pastDeadline(now)) {
            v = Verdict.FAILED;
        } else if (r != null && r.phase() == RolloutRecord.Phase.PAUSED) {
            v = Verdict.PAUSED;
        } else if (r != null && r.phase() == RolloutRecord.Phase.CANARY) {
            wanted = Math.min(r.canary(), nodes.size());
            v = healthyOnGoal >= wanted ? Verdict.CANARIES_HEALTHY : Verdict.IN_PROGRESS;
        } else {
            v = Verdict.IN_PROGRESS;
        }
        return new FleetView(container, target, marker, r, nodes, v, summary(nodes, goal, marker), Math.min(healthyOnGoal, wanted), wanted);
    }

    /** {@code v2: 7 healthy, 1 starting; v1: 1; failed: v3 on n4}: the goal first, then the other tags, then failures. */
    static String summary(List<NodeReport> nodes, String goal, String marker) {
        Map<String, int[]> byTag = new TreeMap<>();
        for (NodeReport n : nodes) {
            int[] c = byTag.computeIfAbsent(n.tag() == null ? "(none)" : n.tag(), k -> new int[2]);
            c[n.healthy() ? 0 : 1]++;
        }
        List<String> parts = new ArrayList<>();
        Map<String, int[]> ordered = new LinkedHashMap<>();
        if (goal != null && byTag.containsKey(goal)) {
            ordered.put(goal, byTag.remove(goal));
        }
        ordered.putAll(byTag);
        for (var e : ordered.entrySet()) {
            int healthy = e.getValue()[0];
            int other = e.getValue()[1];
            if (e.getKey().equals(goal)) {
                parts.add(e.getKey() + ": " + healthy + " healthy" + (other > 0 ? ", " + other + " starting" : ""));
            } else {
                parts.add(e.getKey() + ": " + (healthy + other) + (other > 0 ? " (" + other + " not healthy)" : ""));
            }
        }
        Map<String, List<String>> failed = new TreeMap<>();
        for (NodeReport n : nodes) {
            if (n.failed() != null) {
                failed.computeIfAbsent(n.failed(), k -> new ArrayList<>()).add(n.identity());
            }
        }
        if (marker != null) {
            failed.putIfAbsent(marker, new ArrayList<>());
        }
        for (var e : failed.entrySet()) {
            parts.add("failed: " + e.getKey() + (e.getValue().isEmpty() ? " (marked in the KV)" : " on " + String.join(", ", e.getValue())));
        }
        return parts.isEmpty() ? "no node reports" : String.join("; ", parts);
    }
}
