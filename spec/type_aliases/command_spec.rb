# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Command' do
  [
    '/bin/weather --serve', ['/bin/weather', '--serve'], ['run'], ['echo', ''],
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '', [], ['/bin/weather', 5], 5,
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
