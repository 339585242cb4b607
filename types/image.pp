# The type below is generated from schema/container-spec.v1.json (/properties/image)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A Docker image reference without tag or digest.
#
# Docker's reference grammar: lower-case path components, after an optional registry, which is a
# first component with a `.` or a port (1-65535, no leading zero), or `localhost`; at most 255
# characters. Docker refuses `Example/app` (an upper-case path component), so Hoist does too. The
# tag goes in `image_tag`.
#
# The pattern is `properties.image` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'example/weather'
#   'registry.example.com:5000/example/weather'
type Hoist::Image = Pattern[/\A(?=[a-zA-Z0-9._:\/-]{1,255}\z)(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)+(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?:(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])|localhost)\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z/]
