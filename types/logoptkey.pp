# The type below is generated from schema/container-spec.v1.json (/properties/log_opts/propertyNames)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A log driver option name, as `docker run --log-opt NAME=VALUE`.
#
# Letters, digits, `_`, `.` and `-`, at most 64 characters.
#
# The pattern is `properties.log_opts.propertyNames` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'max-size'
type Hoist::LogOptKey = Pattern[/\A[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}\z/]
