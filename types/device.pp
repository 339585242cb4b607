# The type below is generated from schema/container-spec.v1.json (/properties/devices/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A host device: `/dev/HOST[:/dev/CONTAINER][:PERMISSIONS]`.
#
# As `docker run --device`; PERMISSIONS of `r`, `w` and `m`.
#
# The pattern is `properties.devices.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '/dev/fuse'
#   '/dev/ttyUSB0:/dev/modem:rw'
type Hoist::Device = Pattern[/\A\/[^:\n\x00]*(?::\/[^:\n\x00]*)?(?::[rwm]{1,3})?\z/]
