# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::kv_failed_key' do
  it 'appends _failed to the key of the container layout (choria kv get HOIST_weather TAG_failed)' do
    is_expected.to run.with_params('TAG').and_return('TAG_failed')
  end

  it 'appends _failed to the key of the shared layout' do
    is_expected.to run.with_params('container/weather/tag').and_return('container/weather/tag_failed')
  end

  it { is_expected.to run.with_params('container.weather.tag').and_raise_error(%r{parameter 'key' expects a match for Hoist::KvKey}) }
end
