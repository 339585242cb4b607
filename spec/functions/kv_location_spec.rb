# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::kv_location' do
  it 'puts the tag in bucket HOIST_NAME, key TAG, for the container layout (choria kv put HOIST_weather TAG v2)' do
    is_expected.to run.with_params('weather', 'container', 'HOIST').and_return('bucket' => 'HOIST_weather', 'key' => 'TAG')
  end

  it 'puts the tag in the shared bucket, key container/NAME/tag, for the shared layout' do
    is_expected.to run.with_params('weather', 'shared', 'HOIST').and_return('bucket' => 'HOIST', 'key' => 'container/weather/tag')
    is_expected.to run.with_params('weather', 'shared', 'FLEET').and_return('bucket' => 'FLEET', 'key' => 'container/weather/tag')
  end

  it { is_expected.to run.with_params('weather', 'global', 'HOIST').and_raise_error(%r{parameter 'layout' expects a match for Hoist::KvLayout}) }
  it { is_expected.to run.with_params('web.app', 'container', 'HOIST').and_raise_error(%r{parameter 'name' expects a match for Hoist::Name}) }
end
