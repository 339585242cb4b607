# The type below is generated from schema/container-spec.v1.json (/properties/labels/propertyNames)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A container label key; `io.choria.hoist.` is reserved.
#
# Letters, digits, `.`, `_`, `/` and `-`, a letter or digit first, at most 128 characters.
# Keys starting `io.choria.hoist.` are the labels by which Hoist knows its containers.
#
# The pattern is `properties.labels.propertyNames` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   'com.example.team'
type Hoist::LabelKey = Pattern[/\A(?!io\.choria\.hoist\.)[a-zA-Z0-9][a-zA-Z0-9._\/-]{0,127}\z/]
