# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Governor' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'weather_updates', 'fleet-1', 'G', '1x', '_x', '-',
    ],
    refused: [
      '', 'weather updates', 'a.b', 'a/b', 'a*', 'a>', "\u00fc",
    ],
  )
end
