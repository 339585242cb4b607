# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Tag' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'v1', 'latest', '1.2.3', 'V1_rc-2', '_x', 'a' * 128, "sha256:#{'0123456789abcdef' * 4}",
    ],
    refused: [
      '', '.v1', '-v1', 'v 1', 'v1:2', 'a' * 129, 'sha256:abc', "sha256:#{'0123456789ABCDEF' * 4}", "sha512:#{'0' * 64}",
    ],
  )
end
