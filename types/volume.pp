# @summary A bind mount: `/abs/host/path:/container/path[:ro|:rw]`.
#
# Both paths are absolute and hold no `:`, newline or NUL; spaces are fine, as Docker binds take
# them. Named volumes are not supported.
#
# The pattern is `properties.volumes.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '/srv/weather/logs:/logs'
#   '/etc/weather:/config:ro'
type Hoist::Volume = Pattern[/\A\/[^:\n\x00]*:\/[^:\n\x00]*(?::(?:ro|rw))?\z/]
