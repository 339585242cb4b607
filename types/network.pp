# @summary The Docker network a container joins: `bridge`, `host`, `none` or a user-defined network.
#
# @example
#   'bridge'
type Hoist::Network = Pattern[/\A[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}\z/]
