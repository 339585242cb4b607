# The type below is generated from schema/container-spec.v1.json (/$defs/timeout)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A positive duration that hoist-cli waits: a whole number of hours, minutes or seconds.
#
# `start_timeout`: at most 999h, 99999m or 9999999s (three, five and seven digits; no leading zero),
# shorter than a `Hoist::Duration`, so that the machine's remediate and restart watchers' timeout,
# `start_timeout + min_healthy_time + stop_timeout + 120` seconds, is always a `Hoist::Duration`.
#
# The pattern is `$defs.timeout` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '60s'
#   '2m'
type Hoist::Timeout = Pattern[/\A(?:[1-9][0-9]{0,2}h|[1-9][0-9]{0,4}m|[1-9][0-9]{0,6}s)\z/]
