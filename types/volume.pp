# The type below is generated from schema/container-spec.v1.json (/properties/volumes/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A bind mount: `/abs/host/path:/container/path[:ro|:rw]`.
#
# Both paths are absolute and hold no `:`, newline or NUL; spaces are fine, as Docker binds take
# them. The container path is not `/` (nor `//`, `/.`, `/..`: a path of no name), which Docker
# refuses. Named volumes are not supported.
#
# The pattern is `properties.volumes.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '/srv/weather/logs:/logs'
#   '/etc/weather:/config:ro'
type Hoist::Volume = Pattern[/\A\/[^:\n\x00]*:\/(?:[^:\n\x00]*\/)?(?:[^:\n\x00\/.]|\.[^:\n\x00\/.]|\.\.[^:\n\x00\/])[^:\n\x00]*(?::(?:ro|rw))?\z/]
