package io.choria.hoist.docker;

import java.util.List;

/**
 * What a container said last: the last lines of its output (stdout and stderr, as
 * {@code docker logs --tail} gives them, unmasked: environment values may be in them) and its exit
 * code, when the Engine knows them.
 *
 * @param lines the last lines, oldest first; empty when the log driver cannot be read (syslog)
 * @param exitCode the exit code of its last run, or null
 */
public record LastOutput(List<String> lines, Long exitCode) {
    public static final LastOutput NONE = new LastOutput(List.of(), null);
}
