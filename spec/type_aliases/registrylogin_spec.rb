# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::RegistryLogin' do
  HoistSpec.type_cases(
    self,
    allowed: [
      { 'username' => 'deploy', 'password' => 's3cret' },
      { 'auth' => 'ZGVwbG95OnMzY3JldA==' },
      { 'auth' => 'YTpi' },
    ],
    refused: [
      {}, { 'username' => 'deploy' }, { 'password' => 's3cret' }, { 'username' => '', 'password' => 'x' },
      { 'auth' => '' }, { 'auth' => 'not base64' }, { 'auth' => 'YTpi', 'username' => 'a' }, 'deploy:s3cret',
    ],
  )
end
