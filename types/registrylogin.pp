# @summary One registry's login in `hoist::registry_auth`: Docker's `config.json` entry.
#
# Either `username` and `password`, or `auth`, the base64 of `username:password` (what
# `docker login` writes).
type Hoist::RegistryLogin = Variant[
  Struct[{ username => String[1], password => String[1] }],
  Struct[{ auth => Pattern[/\A[A-Za-z0-9+\/]+={0,2}\z/] }],
]
