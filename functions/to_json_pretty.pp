# @summary stdlib's `to_json_pretty`, called by the name the installed stdlib gives it.
#
# stdlib 9 moved the function to `stdlib::to_json_pretty` and left `to_json_pretty` as a deprecated shim that
# logs a warning on every catalog; stdlib 8 has only `to_json_pretty`. Both write the same text (the specs
# hold it byte for byte to what Hoist 0.1.0 wrote), so Hoist supports both without a warning.
#
# @param data
#   What to serialise.
#
# @return [String] The indented JSON text stdlib writes.
#
# @example
#   hoist::to_json_pretty({ 'containers' => ['weather'] })
function hoist::to_json_pretty(Any $data) >> String {
  $name = versioncmp(pick(load_module_metadata('stdlib')['version'], '0'), '9.0.0') ? {
    -1      => 'to_json_pretty',
    default => 'stdlib::to_json_pretty',
  }
  call($name, $data)
}
