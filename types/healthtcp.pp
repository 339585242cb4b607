# The type below is generated from schema/container-spec.v1.json (/properties/health_tcp)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A TCP health probe: `PORT` or `HOST:PORT` on the node's loopback, which hoist-cli connects to from the host.
#
# HOST is one of `127.0.0.1`, `localhost` or `[::1]` (a bare PORT means
# `127.0.0.1:PORT`); PORT is 1 to 65535, no leading zero. It is a string: quote a bare port in
# YAML (`"8080"`).
#
# The pattern is `properties.health_tcp` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '8080'
#   '127.0.0.1:8080'
#   '[::1]:5432'
type Hoist::HealthTcp = Pattern[/\A(?:(?:127\.0\.0\.1|localhost|\[::1\]):)?(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])\z/]
