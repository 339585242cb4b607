# The type below is generated from schema/container-spec.v1.json (/$defs/words)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A container's command, entrypoint or health command as the contract has it: a string that splits, or a non-empty list.
#
# `Hoist::ContainerConfig` takes it for `command`, `entrypoint` and `health_command`. (The parameters
# of `hoist::container` still take the looser `Hoist::Command`, which every value of this type is.)
#
# hoist-cli splits a string into words the way a POSIX shell would (quotes and backslashes, no
# expansion, no shell), so a string must split: at least one word, quotes closed, no trailing
# backslash. List items may be empty arguments. No NUL anywhere: exec could not take it.
#
# The pattern is `$defs.words` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one).
#
# @example
#   '/bin/weather --serve'
#   ['/bin/weather', '--serve']
type Hoist::ContainerCommand = Variant[
  Pattern[/\A(?:[\x09-\x0D\x20]|\\\n)*(?:[^'"\\\x00\x09-\x0D\x20]|'[^'\x00]*'|"(?:[^"\\\x00]|\\[^\x00])*"|\\[^\n\x00])(?:[^'"\\\x00]|'[^'\x00]*'|"(?:[^"\\\x00]|\\[^\x00])*"|\\[^\x00])*\z/],
  Array[Pattern[/\A[^\x00]*\z/], 1],
]
