# The type below is generated from schema/container-spec.v1.json (/properties/log_driver)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary A Docker log driver: one of Docker's own, or the `loki` plugin.
#
# The values are `properties.log_driver.enum` of schema/container-spec.v1.json, the container contract
# (spec/contract/types_spec.rb checks they are one). Other plugins cannot be named: hoist-cli's
# Docker client (docker-java) knows only these.
type Hoist::LogDriver = Enum['json-file', 'local', 'syslog', 'journald', 'gelf', 'fluentd', 'awslogs', 'splunk', 'gcplogs', 'loki', 'none']
