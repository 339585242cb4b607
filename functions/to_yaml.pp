# @summary stdlib's `to_yaml`, called by the name the installed stdlib gives it.
#
# stdlib 9 moved the function to `stdlib::to_yaml` and left `to_yaml` as a deprecated shim that
# logs a warning on every catalog; stdlib 8 has only `to_yaml`. Both write the same text (the specs
# hold it byte for byte to what Hoist 0.1.0 wrote), so Hoist supports both without a warning.
#
# @param data
#   What to serialise.
#
# @return [String] The YAML text stdlib writes.
#
# @example
#   hoist::to_yaml({ 'containers' => ['weather'] })
function hoist::to_yaml(Any $data) >> String {
  $name = versioncmp(pick(load_module_metadata('stdlib')['version'], '0'), '9.0.0') ? {
    -1      => 'to_yaml',
    default => 'stdlib::to_yaml',
  }
  call($name, $data)
}
