# The type below is generated from schema/container-spec.v1.json (/$defs/governor)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary The name of a Choria Concurrency Governor.
#
# Letters, digits, `_` and `-`, one or more (`G`, `1x` and `_x` too): a portable subset of what
# Choria takes, which is any name that makes a valid JetStream stream name `GOVERNOR_NAME`.
#
# The pattern is `$defs.governor` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'weather_updates'
type Hoist::Governor = Pattern[/\A[a-zA-Z0-9_-]+\z/]
