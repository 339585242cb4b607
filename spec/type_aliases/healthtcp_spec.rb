# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::HealthTcp' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '8080', '1', '65535', '127.0.0.1:8080', 'localhost:5432', '[::1]:9090',
    ],
    refused: [
      '0', '70000', '65536', '08080', '127.0.0.1:0', 'localhost:70000', '10.0.0.5:8080', 'example.com:80', '::1:9090',
      '[::2]:9090', '127.0.0.1', 'localhost:', ':8080', 'tcp://127.0.0.1:8080', ' 8080', '8080 ', '', 8080,
    ],
  )
end
