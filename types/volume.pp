# @summary A bind mount: `/abs/host/path:/container/path[:ro|:rw]`.
#
# Both paths are absolute; named volumes are not supported.
#
# @example
#   '/srv/weather/logs:/logs'
#   '/etc/weather:/config:ro'
type Hoist::Volume = Pattern[/\A\/[^:\n\0]*:\/[^:\n\0]*(?::(?:ro|rw))?\z/]
