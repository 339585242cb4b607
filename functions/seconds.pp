# @summary The number of seconds in a duration: a whole number of hours, minutes or seconds.
#
# @param duration
#   A `Hoist::Duration` or `Hoist::Period`, e.g. `30s`, `5m`, `1h` or `0s`.
#
# @return [Integer] The duration in seconds.
#
# @example The restart watcher's default start_timeout
#   hoist::seconds('60s') # => 60
#   hoist::seconds('5m')  # => 300
function hoist::seconds(Hoist::Period $duration) >> Integer {
  $parts = $duration.match(/\A(\d+)([hms])\z/)
  $unit = { 's' => 1, 'm' => 60, 'h' => 3600 }[$parts[2]]
  Integer($parts[1], 10) * $unit
}
