# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::AbsolutePath' do
  [
    '/', '/etc/weather/weather.conf', '/etc/my app.conf', '/a//b', '/a/', "/etc/\u00fcn\u00ef",
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '', 'etc/weather.conf', './weather.conf', '//etc/weather.conf', "/etc/a\nb", "/etc/a\u0000", 5,
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
