# @summary Where a container's desired image tag lives in the Choria Key-Value store.
#
# The one place that turns a KV layout into a bucket and a key. The result goes into both
# `container.json` (`kv_bucket`, `kv_key`) and the machine's `tag` KV watcher. The fleet's
# failure marker lives beside the key, in the same bucket: see `hoist::kv_failed_key`.
#
# @param name
#   The container name.
# @param layout
#   `container`: bucket `HOIST_NAME`, key `TAG`; `shared`: bucket `shared_bucket`, key `container/NAME/tag`.
# @param shared_bucket
#   The bucket of the `shared` layout.
#
# @return [Struct[{ bucket => Hoist::KvBucket, key => Hoist::KvKey }]]
#   The bucket and the key.
#
# @example The seed's layout: `choria kv put HOIST_weather TAG v2`
#   hoist::kv_location('weather', 'container', 'HOIST') # => {'bucket' => 'HOIST_weather', 'key' => 'TAG'}
function hoist::kv_location(
  Hoist::Name $name,
  Hoist::KvLayout $layout,
  Hoist::KvBucket $shared_bucket,
) >> Struct[{ bucket => Hoist::KvBucket, key => Hoist::KvKey }] {
  $layout ? {
    'container' => { 'bucket' => "HOIST_${name}", 'key' => 'TAG' },
    'shared'    => { 'bucket' => $shared_bucket, 'key' => "container/${name}/tag" },
  }
}
