# @summary An absolute path that is safe inside a Choria exec watcher command.
#
# Choria reads the command as a Go template and splits it into words like a shell, so the path
# holds no whitespace, quotes, backslashes or braces, and no trailing slash.
#
# @example
#   '/usr/local/bin/hoist-cli'
type Hoist::CommandPath = Pattern[/\A(?:\/[A-Za-z0-9._+@%,=:-]+)+\z/]
