# The type below is generated from schema/container-spec.v1.json (/properties/name)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary The name of a Hoist container.
#
# It becomes the Choria machine name `hoist_NAME`, the machine folder and the Docker container
# name, so it follows what Choria accepts in a machine name (`^[a-zA-Z][a-zA-Z0-9_-]+$`: at least
# two characters). `purge` is reserved: its machine folder `hoist_purge` belongs to the purge machine.
# A name is also shell-safe in the exec watchers' commands.
#
# @example
#   'weather'
type Hoist::Name = Pattern[/\A(?!purge\z)[a-zA-Z][a-zA-Z0-9_-]+\z/]
