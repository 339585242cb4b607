package io.choria.hoist;

/** hoist-cli's exit codes. Documented in each command's --help (from {@link #HELP}) and in docs/cli.md's table; keep them in step. */
public final class ExitCode {
    /** The command did what was asked; for check, the container is as specified. */
    public static final int OK = 0;
    /** check: the container is missing, not running, unhealthy or not as specified. */
    public static final int NOT_RUNNING = 1;
    /** Bad input: usage, container spec, tag, machine data, unknown container. Nothing was changed. */
    public static final int BAD_INPUT = 2;
    /** The Docker Engine could not be reached. */
    public static final int DOCKER_UNREACHABLE = 3;
    /** The desired image could not be pulled (and is not present). The running container was left alone. */
    public static final int IMAGE_UNAVAILABLE = 4;
    /** The Key-Value store (NATS JetStream) could not be reached or refused the operation. */
    public static final int KV_ERROR = 5;
    /** The Docker Engine refused to create or start the container, or it did not stay running. */
    public static final int START_FAILED = 6;
    /** A file Hoist writes or removes (a machine folder, its state) could not be changed. */
    public static final int FILE_ERROR = 7;
    /** Another hoist-cli command held the container's lock for longer than --lock-wait. Nothing was changed. */
    public static final int BUSY = 8;
    /** An unexpected error: a bug. Its stack trace is on stderr. */
    public static final int SOFTWARE = 70;

    /** The text each command's --help shows under "Exit codes". */
    public static final String[] HELP = {
        "0   ok (check: the container runs as specified)",
        "1   check failed, or not running; tag NAME: the KV key is not set; poll NAME: to be replaced",
        "2   bad input (usage, spec, tag, machine data); nothing was changed",
        "3   Docker Engine unreachable",
        "4   image unavailable: pull failed, running container left alone",
        "5   Key-Value store unreachable or refused the operation",
        "6   container failed to start or stay running",
        "7   a file or folder could not be written or removed",
        "8   busy: another command held the container's lock; nothing changed",
        "70  unexpected error (a bug; stack trace on stderr)",
    };

    private ExitCode() {
    }
}
