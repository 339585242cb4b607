# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Network' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'bridge', 'host', 'none', 'weathernet', 'my_net.1-a',
    ],
    refused: [
      '', '-net', 'my net', 'container:web', 'a' * 65,
    ],
  )
end
