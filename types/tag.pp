# The type below is generated from schema/container-spec.v1.json (/properties/image_tag)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A Docker image tag, or a `sha256:` digest.
#
# @example
#   'v1'
#   'latest'
#   'sha256:4b825dc642cb6eb9a060e54bf8d69288fbee4904c8b3b1e7a3f2f6b4c2a1d0e9'
type Hoist::Tag = Pattern[/\A(?:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|sha256:[a-f0-9]{64})\z/]
