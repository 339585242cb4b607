# The type below is generated from schema/container-spec.v1.json (/properties/user)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary The user a container runs as: `NAME`, `UID`, `NAME:GROUP` or `UID:GID`.
#
# As `docker run --user`.
#
# The pattern is `properties.user` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'nobody'
#   '1000:1000'
type Hoist::User = Pattern[/\A(?:[a-zA-Z_][a-zA-Z0-9_.-]{0,31}|0|[1-9][0-9]{0,8})(?::(?:[a-zA-Z_][a-zA-Z0-9_.-]{0,31}|0|[1-9][0-9]{0,8}))?\z/]
