# The type below is generated from schema/container-spec.v1.json (/properties/tmpfs/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A tmpfs mount: `/path[:OPTIONS]`.
#
# As `docker run --tmpfs`: OPTIONS mount options joined by commas.
#
# The pattern is `properties.tmpfs.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '/run'
#   '/tmp:rw,noexec,size=64m'
type Hoist::Tmpfs = Pattern[/\A\/[^:\n\x00]*(?::[a-zA-Z0-9_=.+-]+(?:,[a-zA-Z0-9_=.+-]+)*)?\z/]
