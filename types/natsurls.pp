# @summary The NATS brokers hoist-cli connects to, as `HOIST_NATS_URL` takes them: URLs joined by commas.
#
# Each URL is `nats://HOST:PORT` or `tls://HOST:PORT`, with HOST a DNS name, an IPv4 address or
# a bracketed IPv6 address and PORT 1 to 65535. No user info: the list goes into `machine.yaml`,
# which any local user can read, so credentials never belong in it. No spaces.
#
# @example
#   'nats://broker1.example.net:4222'
#   'nats://broker1:4222,nats://broker2:4222'
#   'tls://[::1]:4222'
type Hoist::NatsUrls = Pattern[/\A(?:nats|tls):\/\/(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?|\[[0-9a-fA-F:.]+\]):(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])(?:,(?:nats|tls):\/\/(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?|\[[0-9a-fA-F:.]+\]):(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]))*\z/]
