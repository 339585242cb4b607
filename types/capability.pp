# The type below is generated from schema/container-spec.v1.json (/properties/cap_add/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A Linux capability: `ALL`, or a name with or without `CAP_`.
#
# As `docker run --cap-add` and `--cap-drop`: upper case, every capability Linux has.
#
# The pattern is `properties.cap_add.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'NET_ADMIN'
#   'CAP_SYS_TIME'
type Hoist::Capability = Pattern[/\A(?:ALL|(?:CAP_)?(?:AUDIT_CONTROL|AUDIT_READ|AUDIT_WRITE|BLOCK_SUSPEND|BPF|CHECKPOINT_RESTORE|CHOWN|DAC_OVERRIDE|DAC_READ_SEARCH|FOWNER|FSETID|IPC_LOCK|IPC_OWNER|KILL|LEASE|LINUX_IMMUTABLE|MAC_ADMIN|MAC_OVERRIDE|MKNOD|NET_ADMIN|NET_BIND_SERVICE|NET_BROADCAST|NET_RAW|PERFMON|SETFCAP|SETGID|SETPCAP|SETUID|SYS_ADMIN|SYS_BOOT|SYS_CHROOT|SYSLOG|SYS_MODULE|SYS_NICE|SYS_PACCT|SYS_PTRACE|SYS_RAWIO|SYS_RESOURCE|SYS_TIME|SYS_TTY_CONFIG|WAKE_ALARM))\z/]
