# @summary A TCP health probe: `PORT` or `HOST:PORT` on the node's loopback, which hoist-cli connects to from the host.
#
# HOST is one of `127.0.0.1`, `localhost` or `[::1]` (a bare PORT means
# `127.0.0.1:PORT`); PORT is 1 to 65535. It is a string: quote a bare port in YAML (`"8080"`).
#
# @example
#   '8080'
#   '127.0.0.1:8080'
#   '[::1]:5432'
type Hoist::HealthTcp = Pattern[/\A(?:(?:127\.0\.0\.1|localhost|\[::1\]):)?(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])\z/]
