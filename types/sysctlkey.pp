# The type below is generated from schema/container-spec.v1.json (/properties/sysctls/propertyNames)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A namespaced kernel parameter name: `net.ipv4.ip_unprivileged_port_start`.
#
# As `docker run --sysctl NAME=VALUE`: dotted, lower-case first part.
#
# The pattern is `properties.sysctls.propertyNames` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'kernel.msgmax'
type Hoist::SysctlKey = Pattern[/\A[a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_-]+)+\z/]
