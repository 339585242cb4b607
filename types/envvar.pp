# The type below is generated from schema/container-spec.v1.json (/properties/environment/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary An environment entry for the container: `KEY=value`.
#
# The key is a shell-style variable name; the value may be empty, and may hold line breaks (a PEM
# certificate), but no NUL.
#
# The pattern is `properties.environment.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'WEATHER_API_KEY=c2..4a'
type Hoist::EnvVar = Pattern[/\A[A-Za-z_][A-Za-z0-9_]*=[^\x00]*\z/]
