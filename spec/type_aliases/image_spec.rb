# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Image' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'weather', 'example/weather', 'registry.example.com:5000/example/weather', 'localhost:5000/a/b/c',
      'my-registry.example.com/team/app', 'example/we_ather', 'example/we__ather', 'example/we--ather', 'example/we.ather', '127.0.0.1:5000/x',
    ],
    refused: [
      'example/weather:v1', 'example/Weather', 'example/weather@sha256:abc', 'https://example.com/weather', '/weather',
      'example//weather', 'example/weather/', 'example/-weather', 'registry.example.com:port/weather', '',
      'Example/weather', 'reg..example.com/app', 'registry-.example.com/app', 'registry:123456/app', 'registry:05000/app', 'a' * 256,
    ],
  )
end
