# @summary A Docker image reference without tag or digest.
#
# An optional registry host (with an optional port) followed by lower-case path components,
# as Docker's reference grammar allows. The tag goes in `image_tag`.
#
# @example
#   'example/weather'
#   'registry.example.com:5000/example/weather'
type Hoist::Image = Pattern[/\A(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z/]
