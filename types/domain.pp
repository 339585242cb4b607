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
