# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Port' do
  [
    '8080:8080', '80:80/tcp', '53:53/udp', '127.0.0.1:8080:80', '0.0.0.0:443:443/tcp', '[::1]:5353:53/udp', '65535:1',
    '80:80/sctp', '[::ffff:192.0.2.1]:80:80', '[2001:db8::1]:443:443', '[::]:80:80',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '80:http', '8080', '80:80/SCTP', '0:80', '08080:80', '01.2.3.4:80:80', '[:::]:80:80', '[1.2.3.4]:80:80',
    '[fe80::1%eth0]:80:80', '[1:2:3:4:5:6:7:8:9]:80:80', '80:0', '65536:80', '256.0.0.1:80:80', 'localhost:80:80', ' 80:80', '80:80 ', 8080,
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
