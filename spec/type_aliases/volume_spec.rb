# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Volume' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '/srv/weather/logs:/logs', '/etc/weather:/config:ro', '/data:/data:rw', '/:/host',
    ],
    refused: [
      'logs:/logs', '/srv/logs:logs', '/srv/logs', '/srv/logs:/logs:z', '/srv/logs:/logs:ro:rw', '', './logs:/logs',
      '/srv:/', '/srv://:ro', '/srv:/./..',
    ],
  )
end
