# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::KvKey' do
  [
    'TAG', 'TAG_failed', 'container/weather/tag', 'container/weather/tag_failed', 'my-key',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '', 'container.weather.tag', 'TAG failed', 'TAG*', 'TAG>',
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
