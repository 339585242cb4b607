# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::RegistryLogin' do
  [
    { 'username' => 'deploy', 'password' => 's3cret' },
    { 'auth' => 'ZGVwbG95OnMzY3JldA==' },
    { 'auth' => 'YTpi' },
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    {}, { 'username' => 'deploy' }, { 'password' => 's3cret' }, { 'username' => '', 'password' => 'x' },
    { 'auth' => '' }, { 'auth' => 'not base64' }, { 'auth' => 'YTpi', 'username' => 'a' }, 'deploy:s3cret',
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
