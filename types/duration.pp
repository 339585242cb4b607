# The type below is generated from schema/container-spec.v1.json (/$defs/duration)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A positive duration as Choria machines accept it: a whole number of hours, minutes or seconds.
#
# The machine schema allows `^\d+[hms]$`; zero is refused because a zero interval would spin, and
# so is a leading zero. At most 9999h, 999999m or 99999999s (four, six and eight digits): far below
# 2562047h, past which Go's time.ParseDuration (Choria's) fails. The times hoist-cli waits are
# shorter (`Hoist::Timeout`, `Hoist::Period`), so that the remediate watcher's timeout, their sum
# plus `stop_timeout` and 120 s, is a `Hoist::Duration` too.
# `500ms` and `1m30s` are not accepted by the schema.
#
# The pattern is `$defs.duration` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '30s'
#   '5m'
type Hoist::Duration = Pattern[/\A(?:[1-9][0-9]{0,3}h|[1-9][0-9]{0,5}m|[1-9][0-9]{0,7}s)\z/]
