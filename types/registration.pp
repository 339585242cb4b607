# @summary One entry of `register_ports`: a port the node publishes into the Choria Key-Value store while in RUN.
#
# A service port of the container that the node publishes into the bucket `CHORIA_SERVICES` while
# its machine is in `RUN`, that is while the container passes Hoist's check.
#
# Each entry becomes one Choria `gossip` watcher with a `registration` (see
# `hoist::container_machine`). `port` and `service` are required; `hoist::container` fills in the rest:
#
# * `cluster`: the container's name. Becomes the first part of the key.
# * `protocol`: `tcp`. What the port speaks, e.g. `http` or `prometheus`.
# * `ip`: the node's `networking.ip` fact. The address clients should use; an IPv4 or IPv6
#   address without a prefix length. It is published as `address`.
# * `priority`: `1`. For consumers that prefer some instances over others.
# * `annotations`: none. String keys and string values, published as they are (quote `"true"`).
# * `interval`: `15s`, the gossip watcher's own default: how often the entry is published again.
#
# @example The original Hoist README's entry
#   register_ports:
#     - cluster: "%{facts.location}"
#       service: surveyor
#       protocol: prometheus
#       ip: "%{facts.networking.ip}"
#       port: 7777
#       priority: 1
#       annotations:
#         prometheus.io/scrape: "true"
#         prometheus.io/path: /metrics
#
# @example The smallest entry
#   register_ports:
#     - service: weather
#       port: 8080
type Hoist::Registration = Struct[{
    service               => Hoist::RegistrationName,
    port                  => Integer[1, 65535],
    Optional[cluster]     => Hoist::RegistrationName,
    Optional[protocol]    => Hoist::RegistrationName,
    Optional[ip]          => Stdlib::IP::Address::Nosubnet,
    Optional[priority]    => Integer[0, 65535],
    Optional[annotations] => Hash[String[1], String],
    Optional[interval]    => Hoist::Duration,
}]
