# The type below is generated from schema/container-spec.v1.json (/properties/group_add/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A supplementary group: a name or a GID.
#
# As `docker run --group-add`.
#
# The pattern is `properties.group_add.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'audio'
#   '1001'
type Hoist::Group = Pattern[/\A(?:[a-zA-Z_][a-zA-Z0-9_.-]{0,31}|0|[1-9][0-9]{0,8})\z/]
