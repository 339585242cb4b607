# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::KvLayout' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'container', 'shared',
    ],
    refused: [
      'Container', 'bucket', '',
    ],
  )
end
