# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Timeout' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '1s', '60s', '2m', '1h', '999h', '99999m', '9999999s',
    ],
    refused: [
      '0s', '00s', '010s', '1000h', '100000m', '10000000s', '500ms', '1m30s', '60', ' 60s', 60, '',
    ],
  )
end
