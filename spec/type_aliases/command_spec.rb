# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Command' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '/bin/weather --serve', ['/bin/weather', '--serve'], ['run'], ['echo', ''],
    ],
    refused: [
      '', [], ['/bin/weather', 5], 5,
    ],
  )
end
