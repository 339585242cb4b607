# The type below is generated from schema/container-spec.v1.json (/properties/restart_files/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary An absolute path, as `Stdlib::Unixpath` takes it: no newline or NUL, not starting with `//`.
#
# The files of `restart_files`. The same set as `Stdlib::Unixpath`, written without its nested
# repetition, so that Java's regex engine (hoist-cli matches the same pattern) never backtracks
# exponentially.
#
# The pattern is `properties.restart_files.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '/etc/weather/weather.conf'
type Hoist::AbsolutePath = Pattern[/\A\/(?:[^\n\/\x00][^\n\x00]*)?\z/]
