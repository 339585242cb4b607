# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::EnvVar' do
  [
    'WEATHER_API_KEY=c2..4a', 'A=', '_X=1', 'k=v=w', 'PATH=/bin:/usr/bin', 'MSG=hello world', "A=line\nbreak",
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    'WEATHER_API_KEY', '=value', '1A=b', 'A-B=c', 'A B=c', "A=x\u0000y", '',
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
