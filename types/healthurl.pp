# @summary An HTTP health probe: a GET URL on the node's loopback, which hoist-cli polls from the host.
#
# `http://HOST:PORT[/PATH]`, with HOST one of `127.0.0.1`, `localhost` or `[::1]` and PORT 1 to
# 65535: the probe reaches the container through a port it publishes on the node, never another
# machine. No `https`, no user info; the path holds no whitespace.
#
# @example
#   'http://127.0.0.1:8080/health'
#   'http://localhost:9090'
#   'http://[::1]:8080/status?verbose=1'
type Hoist::HealthUrl = Pattern[/\Ahttp:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])(?:\/\S*)?\z/]
