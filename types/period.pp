# The type below is generated from schema/container-spec.v1.json (/$defs/period)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A duration that may be zero: a whole number of hours, minutes or seconds.
#
# Like `Hoist::Timeout`, but `0s` (or `0m`, `0h`) is allowed, for times hoist-cli waits rather
# than intervals a Choria watcher repeats (which must not be zero): at most 999h, 99999m or
# 9999999s. `500ms` and `1m30s` are not accepted.
#
# The pattern is `$defs.period` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '0s'
#   '10s'
#   '2m'
type Hoist::Period = Pattern[/\A(?:(?:0|[1-9][0-9]{0,2})h|(?:0|[1-9][0-9]{0,4})m|(?:0|[1-9][0-9]{0,6})s)\z/]
