# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::AbsolutePath' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '/', '/etc/weather/weather.conf', '/etc/my app.conf', '/a//b', '/a/', "/etc/\u00fcn\u00ef",
    ],
    refused: [
      '', 'etc/weather.conf', './weather.conf', '//etc/weather.conf', "/etc/a\nb", "/etc/a\u0000", 5,
    ],
  )
end
