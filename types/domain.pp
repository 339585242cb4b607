# The type below is generated from schema/container-spec.v1.json (/properties/dns_search/items)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A DNS search domain.
#
# As `docker run --dns-search`.
#
# The pattern is `properties.dns_search.items` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'example.com'
type Hoist::Domain = Pattern[/\A(?=[a-zA-Z0-9.-]{1,253}\z)[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*\z/]
