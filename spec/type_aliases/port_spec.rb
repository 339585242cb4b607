# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Port' do
  [
    '8080:8080', '80:80/tcp', '53:53/udp', '127.0.0.1:8080:80', '0.0.0.0:443:443/tcp', '[::1]:5353:53/udp', '65535:1',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '80:http', '8080', '80:80/sctp', '0:80', '80:0', '65536:80', '256.0.0.1:80:80', 'localhost:80:80', ' 80:80', '80:80 ', 8080,
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
