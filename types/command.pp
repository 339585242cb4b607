# @summary A container command or entrypoint: one string, or a non-empty list of arguments.
#
# The parameters of `hoist::container` take it; `Hoist::ContainerConfig`, through which Hiera data
# comes, takes the contract's stricter `Hoist::ContainerCommand`. A list may hold empty arguments.
#
# @example
#   '/bin/weather --serve'
#   ['/bin/weather', '--serve']
type Hoist::Command = Variant[String[1], Array[String, 1]]
