// Generated from schema/container-spec.v1.json by harness/tools/contract.py java --write: change the
// schema, never this file (the tools stage fails when it is stale).
package io.choria.hoist.spec;

/**
 * The patterns of the container contract, schema/container-spec.v1.json's, one constant each, named
 * by its place in the schema. Compile-time constants: javac writes them into the classes that name
 * them (Grammar's users), so this class is never loaded, and check pays nothing for it.
 */
final class SchemaPatterns {
    /** {@code /properties/name} */
    static final String NAME = "^(?!purge$)[a-zA-Z][a-zA-Z0-9_-]+$";

    /** {@code /properties/image} */
    static final String IMAGE = "^(?=[a-zA-Z0-9._:/-]{1,255}$)(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?:(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])|localhost)/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$";

    /** {@code /properties/image_tag} */
    static final String IMAGE_TAG = "^(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|sha256:[a-f0-9]{64})$";

    /** {@code /properties/network} */
    static final String NETWORK = "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$";

    /** {@code /properties/environment/items} */
    static final String ENVIRONMENT_ITEM = "^[A-Za-z_][A-Za-z0-9_]*=[^\\x00]*$";

    /** {@code /properties/volumes/items} */
    static final String VOLUMES_ITEM = "^/[^:\\n\\x00]*:/(?:[^:\\n\\x00]*/)?(?:[^:\\n\\x00/.]|\\.[^:\\n\\x00/.]|\\.\\.[^:\\n\\x00/])[^:\\n\\x00]*(?::(?:ro|rw))?$";

    /** {@code /properties/ports/items} */
    static final String PORTS_ITEM = "^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}:|\\[(?:(?:[0-9a-fA-F]{1,4}:){6}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|::(?:[0-9a-fA-F]{1,4}:){5}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){4}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,1}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){3}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,2}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){2}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,3}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}:(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,4}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}|(?:(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?::)\\]:)?(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]):(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(?:/(?:tcp|udp|sctp))?$";

    /** {@code /properties/kv_bucket} */
    static final String KV_BUCKET = "^[a-zA-Z0-9_-]+$";

    /** {@code /properties/kv_key} */
    static final String KV_KEY = "^[-/_a-zA-Z0-9]+$";

    /** {@code /properties/restart_files/items} */
    static final String RESTART_FILES_ITEM = "^/(?:[^\\n/\\x00][^\\n\\x00]*)?$";

    /** {@code /properties/health_http} */
    static final String HEALTH_HTTP = "^http://(?:127\\.0\\.0\\.1|localhost|\\[::1\\]):(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(?:/(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$";

    /** {@code /properties/health_tcp} */
    static final String HEALTH_TCP = "^(?:(?:127\\.0\\.0\\.1|localhost|\\[::1\\]):)?(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$";

    /** {@code /properties/memory_swap} */
    static final String MEMORY_SWAP = "^(?:-1|(?:[1-9][0-9]{0,17}[bB]?|[1-9][0-9]{0,14}[kK]|[1-9][0-9]{0,11}[mM]|[1-9][0-9]{0,8}[gG]))$";

    /** {@code /properties/cpuset} */
    static final String CPUSET = "^(?:0|[1-9][0-9]{0,3})(?:-(?:0|[1-9][0-9]{0,3}))?(?:,(?:0|[1-9][0-9]{0,3})(?:-(?:0|[1-9][0-9]{0,3}))?)*$";

    /** {@code /properties/user} */
    static final String USER = "^(?:[a-zA-Z_][a-zA-Z0-9_.-]{0,31}|0|[1-9][0-9]{0,8})(?::(?:[a-zA-Z_][a-zA-Z0-9_.-]{0,31}|0|[1-9][0-9]{0,8}))?$";

    /** {@code /properties/group_add/items} */
    static final String GROUP_ADD_ITEM = "^(?:[a-zA-Z_][a-zA-Z0-9_.-]{0,31}|0|[1-9][0-9]{0,8})$";

    /** {@code /properties/hostname} */
    static final String HOSTNAME = "^(?=[a-zA-Z0-9.-]{1,63}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$";

    /** {@code /properties/dns_search/items} */
    static final String DNS_SEARCH_ITEM = "^(?=[a-zA-Z0-9.-]{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$";

    /** {@code /properties/extra_hosts/items} */
    static final String EXTRA_HOSTS_ITEM = "^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*:(?:host-gateway|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|(?:(?:[0-9a-fA-F]{1,4}:){6}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|::(?:[0-9a-fA-F]{1,4}:){5}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){4}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,1}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){3}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,2}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){2}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,3}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}:(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,4}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}|(?:(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?::))$";

    /** {@code /properties/labels/propertyNames} */
    static final String LABELS_KEY = "^(?!io\\.choria\\.hoist\\.)[a-zA-Z0-9][a-zA-Z0-9._/-]{0,127}$";

    /** {@code /properties/labels/additionalProperties} */
    static final String LABELS_VALUE = "^[^\\x00]*$";

    /** {@code /properties/log_opts/propertyNames} */
    static final String LOG_OPTS_KEY = "^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$";

    /** {@code /properties/log_opts/additionalProperties} */
    static final String LOG_OPTS_VALUE = "^[^\\x00]*$";

    /** {@code /properties/cap_add/items} */
    static final String CAP_ADD_ITEM = "^(?:ALL|(?:CAP_)?(?:AUDIT_CONTROL|AUDIT_READ|AUDIT_WRITE|BLOCK_SUSPEND|BPF|CHECKPOINT_RESTORE|CHOWN|DAC_OVERRIDE|DAC_READ_SEARCH|FOWNER|FSETID|IPC_LOCK|IPC_OWNER|KILL|LEASE|LINUX_IMMUTABLE|MAC_ADMIN|MAC_OVERRIDE|MKNOD|NET_ADMIN|NET_BIND_SERVICE|NET_BROADCAST|NET_RAW|PERFMON|SETFCAP|SETGID|SETPCAP|SETUID|SYS_ADMIN|SYS_BOOT|SYS_CHROOT|SYSLOG|SYS_MODULE|SYS_NICE|SYS_PACCT|SYS_PTRACE|SYS_RAWIO|SYS_RESOURCE|SYS_TIME|SYS_TTY_CONFIG|WAKE_ALARM))$";

    /** {@code /properties/cap_drop/items} */
    static final String CAP_DROP_ITEM = "^(?:ALL|(?:CAP_)?(?:AUDIT_CONTROL|AUDIT_READ|AUDIT_WRITE|BLOCK_SUSPEND|BPF|CHECKPOINT_RESTORE|CHOWN|DAC_OVERRIDE|DAC_READ_SEARCH|FOWNER|FSETID|IPC_LOCK|IPC_OWNER|KILL|LEASE|LINUX_IMMUTABLE|MAC_ADMIN|MAC_OVERRIDE|MKNOD|NET_ADMIN|NET_BIND_SERVICE|NET_BROADCAST|NET_RAW|PERFMON|SETFCAP|SETGID|SETPCAP|SETUID|SYS_ADMIN|SYS_BOOT|SYS_CHROOT|SYSLOG|SYS_MODULE|SYS_NICE|SYS_PACCT|SYS_PTRACE|SYS_RAWIO|SYS_RESOURCE|SYS_TIME|SYS_TTY_CONFIG|WAKE_ALARM))$";

    /** {@code /properties/tmpfs/items} */
    static final String TMPFS_ITEM = "^/[^:\\n\\x00]*(?::[a-zA-Z0-9_=.+-]+(?:,[a-zA-Z0-9_=.+-]+)*)?$";

    /** {@code /properties/ulimits/items} */
    static final String ULIMITS_ITEM = "^(?:core|cpu|data|fsize|locks|memlock|msgqueue|nice|nofile|nproc|rss|rtprio|rttime|sigpending|stack)=(?:-1|0|[1-9][0-9]{0,17})(?::(?:-1|0|[1-9][0-9]{0,17}))?$";

    /** {@code /properties/devices/items} */
    static final String DEVICES_ITEM = "^/[^:\\n\\x00]*(?::/[^:\\n\\x00]*)?(?::[rwm]{1,3})?$";

    /** {@code /properties/working_dir} */
    static final String WORKING_DIR = "^/(?:[^\\n/\\x00][^\\n\\x00]*)?$";

    /** {@code /properties/stop_signal} */
    static final String STOP_SIGNAL = "^(?:(?:SIG)?[A-Z][A-Z0-9]{1,9}(?:[+-][0-9]{1,2})?|[1-9][0-9]?)$";

    /** {@code /properties/sysctls/propertyNames} */
    static final String SYSCTLS_KEY = "^[a-z][a-z0-9_]*(?:\\.[a-zA-Z0-9_-]+)+$";

    /** {@code /properties/sysctls/additionalProperties} */
    static final String SYSCTLS_VALUE = "^[^\\n\\x00]*$";

    /** {@code /$defs/duration} */
    static final String DURATION = "^(?:[1-9][0-9]{0,3}h|[1-9][0-9]{0,5}m|[1-9][0-9]{0,7}s)$";

    /** {@code /$defs/timeout} */
    static final String TIMEOUT = "^(?:[1-9][0-9]{0,2}h|[1-9][0-9]{0,4}m|[1-9][0-9]{0,6}s)$";

    /** {@code /$defs/period} */
    static final String PERIOD = "^(?:(?:0|[1-9][0-9]{0,2})h|(?:0|[1-9][0-9]{0,4})m|(?:0|[1-9][0-9]{0,6})s)$";

    /** {@code /$defs/governor} */
    static final String GOVERNOR = "^[a-zA-Z0-9_-]+$";

    /** {@code /$defs/words/anyOf/0} */
    static final String WORDS = "^(?:[\\x09-\\x0D\\x20]|\\\\\\n)*(?:[^'\"\\\\\\x00\\x09-\\x0D\\x20]|'[^'\\x00]*'|\"(?:[^\"\\\\\\x00]|\\\\[^\\x00])*\"|\\\\[^\\n\\x00])(?:[^'\"\\\\\\x00]|'[^'\\x00]*'|\"(?:[^\"\\\\\\x00]|\\\\[^\\x00])*\"|\\\\[^\\x00])*$";

    /** {@code /$defs/words/anyOf/1/items} */
    static final String WORDS_ITEM = "^[^\\x00]*$";

    /** {@code /$defs/size} */
    static final String SIZE = "^(?:[1-9][0-9]{0,17}[bB]?|[1-9][0-9]{0,14}[kK]|[1-9][0-9]{0,11}[mM]|[1-9][0-9]{0,8}[gG])$";

    /** {@code /$defs/ipv4} */
    static final String IPV4 = "^(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$";

    /** {@code /$defs/ipv6} */
    static final String IPV6 = "^(?:(?:[0-9a-fA-F]{1,4}:){6}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|::(?:[0-9a-fA-F]{1,4}:){5}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){4}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,1}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){3}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,2}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){2}(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,3}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}:(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,4}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3})|(?:(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}|(?:(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?::)$";

    /** {@code /$defs/registration_name} */
    static final String REGISTRATION_NAME = "^[a-zA-Z][a-zA-Z0-9_-]*$";

    private SchemaPatterns() {
    }
}
