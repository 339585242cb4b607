# The type below is generated from schema/container-spec.v1.json (/properties/ulimits/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A resource limit: `NAME=SOFT[:HARD]`.
#
# As `docker run --ulimit`; -1 is unlimited.
#
# The pattern is `properties.ulimits.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'nofile=1024:4096'
type Hoist::Ulimit = Pattern[/\A(?:core|cpu|data|fsize|locks|memlock|msgqueue|nice|nofile|nproc|rss|rtprio|rttime|sigpending|stack)=(?:-1|0|[1-9][0-9]{0,17})(?::(?:-1|0|[1-9][0-9]{0,17}))?\z/]
