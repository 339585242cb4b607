# @summary A duration that may be zero: a whole number of hours, minutes or seconds.
#
# Like `Hoist::Duration`, but `0s` is allowed, for times hoist-cli waits rather than intervals a
# Choria watcher repeats (which must not be zero). `500ms` and `1m30s` are not accepted.
#
# @example
#   '0s'
#   '10s'
#   '2m'
type Hoist::Period = Pattern[/\A(?:0|[1-9]\d*)[hms]\z/]
