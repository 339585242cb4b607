# The type below is generated from schema/container-spec.v1.json (/properties/network)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary The Docker network a container joins: `bridge`, `host`, `none` or a user-defined network.
#
# @example
#   'bridge'
type Hoist::Network = Pattern[/\A[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}\z/]
