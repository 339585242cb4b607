# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::CommandPath' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '/usr/local/bin/hoist-cli', '/etc/choria/machine', '/tmp/tmp.AbC123/store', '/opt/hoist-1.0/bin/hoist+cli',
    ],
    refused: [
      'hoist-cli', '/', '/etc/choria/machine/', '/opt/my tools/hoist-cli', '/opt/{{x}}/cli', "/opt/it's", '/opt/a"b', '/opt/a\\b', '',
    ],
  )
end
