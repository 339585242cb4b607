# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::CommandPath' do
  [
    '/usr/local/bin/hoist-cli', '/etc/choria/machine', '/tmp/tmp.AbC123/store', '/opt/hoist-1.0/bin/hoist+cli',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    'hoist-cli', '/', '/etc/choria/machine/', '/opt/my tools/hoist-cli', '/opt/{{x}}/cli', "/opt/it's", '/opt/a"b', '/opt/a\\b', '',
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
