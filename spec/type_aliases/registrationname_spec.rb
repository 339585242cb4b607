# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::RegistrationName' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'lon', 'a', 'http', 'prometheus', 'weather-api', 'weather_api', 'Web2',
    ],
    refused: [
      '', '2web', '-web', '_web', 'web.api', 'web api', 'web*', 'web>', 'wéb', "web\n", 8080,
    ],
  )
end
