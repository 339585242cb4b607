# @summary An environment entry for the container: `KEY=value`.
#
# The key is a shell-style variable name; the value may be empty but holds no line break.
#
# @example
#   'WEATHER_API_KEY=c2..4a'
type Hoist::EnvVar = Pattern[/\A[A-Za-z_][A-Za-z0-9_]*=.*\z/]
