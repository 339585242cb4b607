# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::NatsUrls' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'nats://broker1:4222', 'nats://broker1:4222,nats://broker2:4222', 'tls://choria.example.net:4222',
      'nats://127.0.0.1:4222', 'nats://[::1]:4222', 'nats://b1.example.net:1,tls://b2.example.net:65535',
    ],
    refused: [
      '', 'broker1:4222', 'nats://broker1', 'nats://broker1:', 'nats://broker1:0', 'nats://broker1:65536',
      'http://broker1:4222', 'nats://user:secret@broker1:4222', 'nats://broker1:4222,', ',nats://broker1:4222',
      'nats://broker1:4222, nats://broker2:4222', 'nats://broker1:4222 ', 'nats://-broker:4222',
      'nats://broker1:4222/path', 'nats://{{ lookup }}:4222', 4222,
    ],
  )
end
