package io.choria.hoist.spec;

import io.choria.hoist.spec.SpecParser.Kind;

/**
 * The container options, one row each: the keys of container.json that are {@code docker run} flags
 * (memory ... sysctls in schema/container-spec.v1.json, in its order). A row says everything hoist-cli
 * does with its key, and each of these walks the rows rather than naming the keys:
 * <ul>
 *   <li>{@link SpecParser} reads and checks it ({@link #kind}, {@link #grammars}, {@link #problem}): its
 *       {@code FIELDS}, {@code PATTERNS} and {@code DEFAULTS} take the rows, which SpecContractTest
 *       holds to the schema;</li>
 *   <li>{@link ContainerOptions#canonical()}, the options' part of the spec hash, and
 *       {@link ContainerOptions#shown()}, what {@code status} shows, by its {@link #form};</li>
 *   <li>the Engine mapping (docker/DockerJavaEngine) sets {@link #engine}, the Engine API's field,
 *       to {@link ContainerOptions#engineValue}.</li>
 * </ul>
 *
 * <p>Adding a key: the schema, a row here, rows of spec/fixtures/contract/values.yaml, a test
 * (CONTRIBUTING.md, "Adding a container key"). A row never changes the spec hash of a container that
 * does not set its key: an unset option is in no canonical form and never sent to the Engine.
 *
 * <p>An enum without constant bodies, forms as ints and no lambdas: check loads this class (the spec
 * hash walks it), and a body or a switch on an enum would each load one more (see Grammar). Its
 * patterns are SchemaPatterns' (generated from the schema: compile-time constants); its initialiser
 * reads those, Grammar's and SpecParser's constant strings, never SpecParser's other fields, which
 * are built from it.
 */
public enum ContainerOption {
    MEMORY("memory", Kind.STRING, ContainerOption.SIZE, "HostConfig.Memory", SpecParser.SIZE_PROBLEM, Grammar.of(Grammar.EXPRESSION, SchemaPatterns.SIZE)),
    MEMORY_RESERVATION("memory_reservation", Kind.STRING, ContainerOption.SIZE, "HostConfig.MemoryReservation",
            SpecParser.SIZE_PROBLEM, MEMORY.grammars),
    MEMORY_SWAP("memory_swap", Kind.STRING, ContainerOption.SIZE, "HostConfig.MemorySwap",
            "must be -1 (no limit on swap) or a size like 1g: memory plus swap (" + SpecParser.SIZE_RULE + ")",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.MEMORY_SWAP)),
    CPUS("cpus", Kind.NUMBER, ContainerOption.NANO_CPUS, "HostConfig.NanoCpus", "must be a number of CPUs"),
    CPUSET("cpuset", Kind.STRING, ContainerOption.TEXT, "HostConfig.CpusetCpus", "must be CPU numbers and ranges like 0-3,6",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.CPUSET)),
    PIDS_LIMIT("pids_limit", Kind.INTEGER, ContainerOption.NUMBER, "HostConfig.PidsLimit", "must be a number of processes"),
    USER("user", Kind.STRING, ContainerOption.TEXT, "Config.User", "must be NAME, UID, NAME:GROUP or UID:GID",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.USER)),
    GROUP_ADD("group_add", Kind.STRINGS, ContainerOption.LIST, "HostConfig.GroupAdd", "a group name or GID",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.GROUP_ADD_ITEM)),
    HOSTNAME("hostname", Kind.STRING, ContainerOption.TEXT, "Config.Hostname", "must be DNS labels joined by dots, at most 63 characters",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.HOSTNAME)),
    DNS("dns", Kind.STRINGS, ContainerOption.LIST, "HostConfig.Dns", "an IPv4 or IPv6 address",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.IPV4), Grammar.of(Grammar.EXPRESSION, SchemaPatterns.IPV6)),
    DNS_SEARCH("dns_search", Kind.STRINGS, ContainerOption.LIST, "HostConfig.DnsSearch", "a domain name",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.DNS_SEARCH_ITEM)),
    EXTRA_HOSTS("extra_hosts", Kind.STRINGS, ContainerOption.LIST, "HostConfig.ExtraHosts",
            "HOSTNAME:IP (IPv4, IPv6 unbracketed, or host-gateway)",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.EXTRA_HOSTS_ITEM)),
    /** The spec's labels beside Hoist's own: the plan writes them all (docker/ContainerPlan#labels). */
    LABELS("labels", Kind.STRING_MAP, ContainerOption.MAP, "Config.Labels",
            "keys must be letters, digits, . _ / - (a letter or digit first, at most 128 characters), not starting io.choria.hoist.",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.LABELS_KEY),
            Grammar.NOT_NUL),
    /** With syslog, its shorthand: the plan resolves both (docker/ContainerPlan#logDriver), and the spec hash takes them from it. */
    LOG_DRIVER("log_driver", Kind.STRING, ContainerOption.LOG, "HostConfig.LogConfig.Type", "must be one of the log drivers"),
    LOG_OPTS("log_opts", Kind.STRING_MAP, ContainerOption.LOG, "HostConfig.LogConfig.Config",
            "keys must be letters, digits, _ . - (a letter or digit first, at most 64 characters)",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.LOG_OPTS_KEY), LABELS.grammars[1]),
    CAP_ADD("cap_add", Kind.STRINGS, ContainerOption.CAPABILITIES, "HostConfig.CapAdd", "ALL or a capability in upper case, with or without CAP_",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.CAP_ADD_ITEM)),
    CAP_DROP("cap_drop", Kind.STRINGS, ContainerOption.CAPABILITIES, "HostConfig.CapDrop", "ALL or a capability in upper case, with or without CAP_",
            CAP_ADD.grammars),
    PRIVILEGED("privileged", Kind.BOOLEAN, ContainerOption.FLAG, "HostConfig.Privileged", "must be true or false"),
    READ_ONLY("read_only", Kind.BOOLEAN, ContainerOption.FLAG, "HostConfig.ReadonlyRootfs", "must be true or false"),
    TMPFS("tmpfs", Kind.STRINGS, ContainerOption.TMPFS_MOUNTS, "HostConfig.Tmpfs", "/path[:OPTIONS], OPTIONS joined by commas",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.TMPFS_ITEM)),
    ULIMITS("ulimits", Kind.STRINGS, ContainerOption.ULIMIT_LIST, "HostConfig.Ulimits", "NAME=SOFT[:HARD] with a Linux limit NAME and -1 to 18 digits",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.ULIMITS_ITEM)),
    DEVICES("devices", Kind.STRINGS, ContainerOption.DEVICE_LIST, "HostConfig.Devices", "/dev/HOST[:/dev/CONTAINER][:PERMISSIONS of r, w, m]",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.DEVICES_ITEM)),
    WORKING_DIR("working_dir", Kind.STRING, ContainerOption.TEXT, "Config.WorkingDir",
            "must be an absolute path (no newline or NUL, not starting with //)", Grammar.ABSOLUTE_PATH),
    STOP_SIGNAL("stop_signal", Kind.STRING, ContainerOption.TEXT, "Config.StopSignal", "must be a signal name like SIGQUIT or QUIT, or a number 1-99",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.STOP_SIGNAL)),
    INIT("init", Kind.BOOLEAN, ContainerOption.FLAG, "HostConfig.Init", "must be true or false"),
    SHM_SIZE("shm_size", Kind.STRING, ContainerOption.SIZE, "HostConfig.ShmSize", SpecParser.SIZE_PROBLEM, MEMORY.grammars),
    SYSCTLS("sysctls", Kind.STRING_MAP, ContainerOption.MAP, "HostConfig.Sysctls",
            "keys must be dotted kernel parameter names like net.ipv4.ip_unprivileged_port_start",
            Grammar.of(Grammar.EXPRESSION, SchemaPatterns.SYSCTLS_KEY), Grammar.of(Grammar.EXPRESSION, SchemaPatterns.SYSCTLS_VALUE));

    // The forms: how a value is held, hashed, shown and sent (ContainerOptions), by what it is.
    /** A size string ({@code 512m}); hashed and sent in bytes, -1 as -1. */
    static final int SIZE = 0;
    /** A string, hashed and sent as written. */
    static final int TEXT = 1;
    /** A decimal number of CPUs; hashed and sent in billionths (the Engine's NanoCpus). */
    static final int NANO_CPUS = 2;
    /** A whole number. */
    static final int NUMBER = 3;
    /** A list of strings, in order. */
    static final int LIST = 4;
    /** A hash of strings to strings, sorted by key. */
    static final int MAP = 5;
    /** A boolean that is set only when true. */
    static final int FLAG = 6;
    /** Capabilities: hashed and sent without {@code CAP_}. */
    static final int CAPABILITIES = 7;
    /** tmpfs mounts: hashed and sent by path (the later entry for a path wins). */
    static final int TMPFS_MOUNTS = 8;
    /** ulimits: hashed as {@code NAME=SOFT:HARD}, sent as the Engine's {Name, Soft, Hard}. */
    static final int ULIMIT_LIST = 9;
    /** devices: hashed as {@code HOST:CONTAINER:PERMISSIONS}, sent as the Engine's device mapping. */
    static final int DEVICE_LIST = 10;
    /** log_driver and log_opts: the plan combines them with syslog; hashed and sent from there. */
    static final int LOG = 11;

    private final String key;
    private final Kind kind;
    private final int form;
    private final String engine;
    private final String problem;
    private final Grammar[] grammars;

    ContainerOption(String key, Kind kind, int form, String engine, String problem, Grammar... grammars) {
        this.key = key;
        this.kind = kind;
        this.form = form;
        this.engine = engine;
        this.problem = problem;
        this.grammars = grammars;
    }

    /** Its container.json name. */
    public String key() {
        return key;
    }

    /** Its JSON type. */
    public Kind kind() {
        return kind;
    }

    /** Whether the plan sends it (the labels beside Hoist's own, the log configuration with syslog), not the row. */
    public boolean sentByPlan() {
        return form == LOG || this == LABELS;
    }

    int form() {
        return form;
    }

    /**
     * The Engine API's field it sets: {@code HostConfig.X} or {@code Config.X} of the create request
     * (the Engine API's names, which docker-java's HostConfig also writes). Labels and the log
     * configuration are the plan's to send ({@link #LABELS}, {@link #LOG_DRIVER}).
     */
    public String engine() {
        return engine;
    }

    /**
     * What a bad value must be, as the parser words it: for a string the whole message, for a list what
     * an item must be, for a hash what its keys must be.
     */
    String problem() {
        return problem;
    }

    /** Its patterns: a string's, a list item's (any of them), a hash's keys' then values'; none for the rest. */
    public Grammar[] grammars() {
        return grammars.clone();
    }

    Grammar grammar(int i) {
        return grammars[i];
    }

    int grammarCount() {
        return grammars.length;
    }
}
