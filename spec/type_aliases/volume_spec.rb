# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Volume' do
  [
    '/srv/weather/logs:/logs', '/etc/weather:/config:ro', '/data:/data:rw', '/:/host',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    'logs:/logs', '/srv/logs:logs', '/srv/logs', '/srv/logs:/logs:z', '/srv/logs:/logs:ro:rw', '', './logs:/logs',
    '/srv:/', '/srv://:ro', '/srv:/./..',
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
