# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Period' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '0s', '0m', '0h', '1s', '10s', '5m', '1h', '120s', '999h', '99999m', '9999999s',
    ],
    refused: [
      '5', '0', '00s', '010s', '500ms', '1m30s', '1d', '-1s', ' 10s', '10s ', 5, 0, '', '1000h', '100000m', '10000000s',
    ],
  )
end
