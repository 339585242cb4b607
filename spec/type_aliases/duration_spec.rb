# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Duration' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '1s', '10s', '30s', '5m', '1h', '120s', '9999h', '999999m', '99999999s',
    ],
    refused: [
      '0', '0s', '0m', '00s', '010s', '500ms', '1m30s', '10', '1d', '-1s', ' 10s', 10, '', '10000h', '1000000m', '100000000s', '2562048h',
    ],
  )
end
