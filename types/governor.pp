# @summary The name of a Choria Concurrency Governor.
#
# @example
#   'weather_updates'
type Hoist::Governor = Pattern[/\A[a-zA-Z0-9_-]+\z/]
