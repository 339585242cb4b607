# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::KvKey' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'TAG', 'TAG_failed', 'container/weather/tag', 'container/weather/tag_failed', 'my-key',
    ],
    refused: [
      '', 'container.weather.tag', 'TAG failed', 'TAG*', 'TAG>',
    ],
  )
end
