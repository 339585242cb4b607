# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::RegistrationName' do
  [
    'lon', 'a', 'http', 'prometheus', 'weather-api', 'weather_api', 'Web2',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '', '2web', '-web', '_web', 'web.api', 'web api', 'web*', 'web>', 'wéb', "web\n", 8080,
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
