# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::KvBucket' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'HOIST', 'HOIST_weather', 'my-bucket',
    ],
    refused: [
      '', 'HOIST.weather', 'HOIST weather', 'a/b',
    ],
  )
end
