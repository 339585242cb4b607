package io.choria.hoist.lifecycle;

import io.choria.hoist.docker.LastOutput;
import io.choria.hoist.docker.ManagedContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A failed start's evidence, for hoist.log and status: the container's exit code and its last
 * lines of output, with every value of the spec's environment masked (***), each line cut, on one line.
 */
final class FailureOutput {
    static final int MAX_LINES = 5;
    static final int MAX_LINE_CHARS = 200;

    private FailureOutput() {
    }

    /** "; exit code N; last output: a | b", or "" when there is nothing to say. */
    static String describe(LastOutput out, ManagedContainer c, List<String> environment) {
        if (out == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        // The engine gives no code while the container is up; a 0 beside a container listed as
        // running is the reset code of a container up again, not evidence.
        if (out.exitCode() != null && !(out.exitCode() == 0 && (c == null || c.running()))) {
            sb.append("; exit code ").append(out.exitCode());
        }
        List<String> lines = clean(out.lines(), environment);
        if (!lines.isEmpty()) {
            sb.append("; last output: ").append(String.join(" | ", lines));
        }
        return sb.toString();
    }

    /** The last MAX_LINES lines, environment values masked, control characters escaped, each cut at MAX_LINE_CHARS. */
    static List<String> clean(List<String> raw, List<String> environment) {
        if (raw == null || raw.isEmpty()) {
            return List.of();
        }
        List<String> secrets = new ArrayList<>();
        for (String e : environment) {
            int eq = e.indexOf('=');
            if (eq >= 0 && eq < e.length() - 1) {
                secrets.add(e.substring(eq + 1));
            }
        }
        // Longest first, so that a value containing another is masked whole.
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        List<String> out = new ArrayList<>();
        for (String line : raw.subList(Math.max(0, raw.size() - MAX_LINES), raw.size())) {
            if (line == null) {
                continue;
            }
            String masked = line;
            for (String s : secrets) {
                masked = masked.replace(s, "***");
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < masked.length() && sb.length() < MAX_LINE_CHARS; i++) {
                char ch = masked.charAt(i);
                sb.append(ch < 0x20 || ch == 0x7f ? ' ' : ch);
            }
            String cut = sb.toString().strip();
            if (masked.length() > MAX_LINE_CHARS) {
                cut += "...";
            }
            if (!cut.isEmpty()) {
                out.add(cut);
            }
        }
        return out;
    }
}
