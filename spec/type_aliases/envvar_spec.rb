# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::EnvVar' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'WEATHER_API_KEY=c2..4a', 'A=', '_X=1', 'k=v=w', 'PATH=/bin:/usr/bin', 'MSG=hello world', "A=line\nbreak",
    ],
    refused: [
      'WEATHER_API_KEY', '=value', '1A=b', 'A-B=c', 'A B=c', "A=x\u0000y", '',
    ],
  )
end
