# @summary A Choria Key-Value bucket name.
#
# @example
#   'HOIST'
type Hoist::KvBucket = Pattern[/\A[a-zA-Z0-9_-]+\z/]
