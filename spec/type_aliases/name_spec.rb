# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Name' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'weather', 'ab', 'Web_app-2', 'w1', 'purged', 'purge_old', 'my-purge',
    ],
    refused: [
      'web.app', 'web app', 'a', '1weather', '_weather', '-web', 'purge', 'wea/ther', "weather\n", '', 5,
    ],
  )
end
