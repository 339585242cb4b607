# @summary The KV key of the fleet's failure marker for a desired-tag key: the key with `_failed` appended.
#
# When a tag from the KV never becomes healthy on a node, hoist-cli rolls that node back and writes
# the tag under this key, in the tag's bucket, so that the rest of the fleet does not try it; the
# machine's `failed_tag` KV watcher keeps the marker in the machine data, under this same name,
# where `hoist-cli check` finds it. hoist-cli derives the same key (`KvLocation.failedMarker`).
#
# @param key
#   The desired tag's key, as `hoist::kv_location` returns it.
#
# @return [Hoist::KvKey] The marker's key.
#
# @example The markers of both layouts
#   hoist::kv_failed_key('TAG')                   # => 'TAG_failed'
#   hoist::kv_failed_key('container/weather/tag') # => 'container/weather/tag_failed'
function hoist::kv_failed_key(Hoist::KvKey $key) >> Hoist::KvKey {
  "${key}_failed"
}
