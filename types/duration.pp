# @summary A positive duration as Choria machines accept it: a whole number of hours, minutes or seconds.
#
# The machine schema allows `^\d+[hms]$`; zero is refused because a zero interval would spin.
# `500ms` and `1m30s` are not accepted by the schema.
#
# @example
#   '30s'
#   '5m'
type Hoist::Duration = Pattern[/\A[1-9]\d*[hms]\z/]
