# The type below is generated from schema/container-spec.v1.json (/$defs/registration_name)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A cluster, service or protocol name in a service registration, as Choria's gossip watcher accepts it.
#
# A letter, then letters, digits, `_` or `-` (go-choria v0.30.2,
# `aagent/watchers/gossipwatcher/gossip.go`: `^[a-zA-Z][a-zA-Z\d_-]*$`). The three names become
# parts of the registration's key, `CLUSTER.PROTOCOL.SERVICE.INSTANCE`, so they hold no dots.
#
# @example
#   'lon'
#   'prometheus'
#   'weather-api'
type Hoist::RegistrationName = Pattern[/\A[a-zA-Z][a-zA-Z0-9_-]*\z/]
