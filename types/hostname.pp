# The type below is generated from schema/container-spec.v1.json (/properties/hostname)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A container's hostname: DNS labels joined by dots, at most 63 characters.
#
# As `docker run --hostname`.
#
# The pattern is `properties.hostname` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'web-1.example.com'
type Hoist::Hostname = Pattern[/\A(?=[a-zA-Z0-9.-]{1,63}\z)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*\z/]
