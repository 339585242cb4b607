# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Governor' do
  [
    'weather_updates', 'fleet-1', 'G', '1x', '_x', '-',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '', 'weather updates', 'a.b', 'a/b', 'a*', 'a>', "\u00fc",
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
