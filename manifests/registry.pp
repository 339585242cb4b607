# @summary Writes the registry credentials file hoist-cli pulls with (`hoist::registry_auth_file`).
#
# With `hoist::registry_auth` set, the file is Docker's `config.json` format (`{"auths": {REGISTRY:
# {...}}}`), owned by root, mode 0600, its content `Sensitive` (Puppet shows no diff of it). With
# `registry_auth` unset, Puppet leaves the file alone: the operator may provide it, or there is none.
#
# @api private
class hoist::registry {
  assert_private()

  if $hoist::registry_auth =~ NotUndef {
    $folder = dirname($hoist::registry_auth_file)
    ensure_resource('file', $folder, { 'ensure' => 'directory', 'owner' => 'root', 'group' => 'root', 'mode' => '0755' })
    file { $hoist::registry_auth_file:
      ensure    => file,
      owner     => 'root',
      group     => 'root',
      mode      => '0600',
      show_diff => false,
      content   => Sensitive(hoist::to_json_pretty({ 'auths' => $hoist::registry_auth.unwrap })),
      require   => File[$folder],
    }
  }
}
