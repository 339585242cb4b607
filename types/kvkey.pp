# The type below is generated from schema/container-spec.v1.json (/properties/kv_key)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A key in a Choria Key-Value bucket, as Choria's kv watcher accepts it: letters, digits, `-`, `_` and `/`.
#
# The machine schema allows no dots in a watched key.
#
# @example
#   'TAG'
#   'container/weather/tag_failed'
type Hoist::KvKey = Pattern[/\A[-\/_a-zA-Z0-9]+\z/]
