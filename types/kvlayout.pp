# The type below is generated from schema/container-spec.v1.json (/$defs/hiera_entry/properties/kv_layout)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary Where a container's desired tag lives in the Choria Key-Value store.
#
# * `container`: bucket `HOIST_NAME`, key `TAG` (`choria kv put HOIST_weather TAG v2`).
# * `shared`: bucket `hoist::kv_shared_bucket` (default `HOIST`), key `container/NAME/tag`.
type Hoist::KvLayout = Enum['container', 'shared']
