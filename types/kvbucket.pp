# The type below is generated from schema/container-spec.v1.json (/properties/kv_bucket)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A Choria Key-Value bucket name.
#
# @example
#   'HOIST'
type Hoist::KvBucket = Pattern[/\A[a-zA-Z0-9_-]+\z/]
