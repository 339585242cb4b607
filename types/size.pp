# The type below is generated from schema/container-spec.v1.json (/$defs/size)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A size as docker run reads one: `512m`, `1g`, `1073741824` (bytes).
#
# A whole number, no leading zero, and a unit `b`, `k`, `m` or `g` (either case, powers of
# 1024) or none (bytes); small enough to stay below 2^63 bytes. For `memory`,
# `memory_reservation` and `shm_size`.
#
# The pattern is `$defs.size` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '512m'
#   '1g'
type Hoist::Size = Pattern[/\A(?:[1-9][0-9]{0,17}[bB]?|[1-9][0-9]{0,14}[kK]|[1-9][0-9]{0,11}[mM]|[1-9][0-9]{0,8}[gG])\z/]
