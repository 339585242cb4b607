# The type below is generated from schema/container-spec.v1.json (/properties/stop_signal)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A stop signal: a name such as `SIGQUIT` or `QUIT`, or a number 1-99.
#
# As `docker run --stop-signal`.
#
# The pattern is `properties.stop_signal` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'SIGQUIT'
type Hoist::Signal = Pattern[/\A(?:(?:SIG)?[A-Z][A-Z0-9]{1,9}(?:[+-][0-9]{1,2})?|[1-9][0-9]?)\z/]
