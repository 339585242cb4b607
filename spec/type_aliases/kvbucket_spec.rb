# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::KvBucket' do
  [
    'HOIST', 'HOIST_weather', 'my-bucket',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '', 'HOIST.weather', 'HOIST weather', 'a/b',
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
