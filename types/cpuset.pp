# The type below is generated from schema/container-spec.v1.json (/properties/cpuset)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary The CPUs a container may run on: `0-3,6`.
#
# CPU numbers and ranges joined by commas, as `docker run --cpuset-cpus`.
#
# The pattern is `properties.cpuset` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '0-3,6'
type Hoist::CpuSet = Pattern[/\A(?:0|[1-9][0-9]{0,3})(?:-(?:0|[1-9][0-9]{0,3}))?(?:,(?:0|[1-9][0-9]{0,3})(?:-(?:0|[1-9][0-9]{0,3}))?)*\z/]
