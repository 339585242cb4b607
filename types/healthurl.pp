# The type below is generated from schema/container-spec.v1.json (/properties/health_http)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary An HTTP health probe: a GET URL on the node's loopback, which hoist-cli polls from the host.
#
# `http://HOST:PORT[/PATH]`, with HOST one of `127.0.0.1`, `localhost` or `[::1]` and PORT 1 to
# 65535 (no leading zero): the probe reaches the container through a port it publishes on the
# node, never another machine. No `https`, no user info, no fragment; the path and query hold URI
# characters only (RFC 3986: letters, digits, `-._~!$&'()*+,;=:@/?` and `%XX` escapes).
#
# The pattern is `properties.health_http` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'http://127.0.0.1:8080/health'
#   'http://localhost:9090'
#   'http://[::1]:8080/status?verbose=1'
type Hoist::HealthUrl = Pattern[/\Ahttp:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])(?:\/(?:[A-Za-z0-9._~!$&'()*+,;=:@\/?-]|%[0-9A-Fa-f]{2})*)?\z/]
