# @summary A Docker endpoint as `DOCKER_HOST` takes it.
#
# @example
#   'unix:///var/run/docker.sock'
#   'tcp://127.0.0.1:2375'
type Hoist::DockerHost = Pattern[/\A(?:unix:\/\/\/\S+|(?:tcp|ssh):\/\/\S+)\z/]
