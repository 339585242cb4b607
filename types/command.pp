# @summary A container command or entrypoint: one string, or a non-empty list of arguments.
#
# @example
#   '/bin/weather --serve'
#   ['/bin/weather', '--serve']
type Hoist::Command = Variant[String[1], Array[String[1], 1]]
