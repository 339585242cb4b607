# @summary A published port: `[IP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]`.
#
# The IP is an IPv4 address or a bracketed IPv6 address; ports are 1 to 65535. Quote ports in
# YAML: YAML 1.1 reads an unquoted `22:22` as a base 60 number.
#
# @example
#   '8080:8080'
#   '127.0.0.1:8080:80/tcp'
#   '[::1]:5353:53/udp'
type Hoist::Port = Pattern[/\A(?:(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d):|\[[0-9a-fA-F:.]+\]:)?(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5]):(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d{2}|655[0-2]\d|6553[0-5])(?:\/(?:tcp|udp))?\z/]
