package io.choria.hoist.startup;

import java.nio.file.Path;

/**
 * The plain command lines of {@code check} and {@code status}, parsed by hand so that those two
 * run without picocli (cli/LeanCommands): building picocli's command model
 * (annotation reflection, dynamic proxies) cost more than the commands themselves. It takes
 * {@code COMMAND NAME} with {@code --store}, {@code --docker-host} (and {@code --spec} and {@code --nagios} for check,
 * {@code --json} for status), as {@code --opt VALUE} or {@code --opt=VALUE}. Anything else (help,
 * a repeated or unknown option, a missing or second NAME, an {@code @file}, a value that starts
 * with {@code -}) is null: picocli takes it, so help and usage errors are picocli's, word for word
 * (CheckPathsTest and StatusPathsTest run both).
 */
public final class LeanCommandLine {
    /** NAME, or null (status of every container). */
    public String name;
    /** --store, or null for picocli's default. */
    public Path store;
    /** --spec, or null. */
    public Path spec;
    /** --docker-host, or null. */
    public String dockerHost;
    public boolean json;
    public boolean nagios;

    private LeanCommandLine() {
    }

    /** A check command line picocli would accept and run, as its options; null for anything else. */
    public static LeanCommandLine check(String[] args) {
        return parse(args, "check", true, true, "--nagios");
    }

    /** A status command line picocli would accept and run, as its options; null for anything else. */
    public static LeanCommandLine status(String[] args) {
        return parse(args, "status", false, false, "--json");
    }

    /**
     * ARGS as picocli would take them for COMMAND, or null. {@code nameRequired}: NAME must be
     * given (check), else it may be (status); {@code spec}: --spec is an option; {@code flag}: the
     * command's one flag ({@code --json} for status, {@code --nagios} for check).
     */
    private static LeanCommandLine parse(String[] args, String command, boolean nameRequired, boolean spec, String flag) {
        if (args.length < 1 || !command.equals(args[0])) {
            return null;
        }
        LeanCommandLine l = new LeanCommandLine();
        String name = null;
        String store = null;
        String specFile = null;
        String dockerHost = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.isEmpty() || a.charAt(0) == '@') {
                return null;
            }
            if (a.charAt(0) != '-') {
                if (name != null) {
                    return null;
                }
                name = a;
                continue;
            }
            if (a.equals(flag) && !l.json && !l.nagios) {
                if ("--json".equals(a)) {
                    l.json = true;
                } else {
                    l.nagios = true;
                }
                continue;
            }
            String option = a;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                option = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    return null;
                }
                value = args[++i];
            }
            // Values that picocli might take for an option, or refuse, are left to it.
            if (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@') {
                return null;
            }
            if ("--store".equals(option) && store == null) {
                store = value;
            } else if (spec && "--spec".equals(option) && specFile == null) {
                specFile = value;
            } else if ("--docker-host".equals(option) && dockerHost == null) {
                dockerHost = value;
            } else {
                return null;
            }
        }
        if (name == null && nameRequired) {
            return null;
        }
        l.dockerHost = dockerHost;
        l.name = name;
        try {
            if (store != null) {
                l.store = Path.of(store);
            }
            if (specFile != null) {
                l.spec = Path.of(specFile);
            }
        } catch (RuntimeException e) {
            return null; // not a path: picocli says so
        }
        return l;
    }
}
