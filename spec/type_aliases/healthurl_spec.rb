# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::HealthUrl' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'http://127.0.0.1:8080/health', 'http://localhost:9090', 'http://[::1]:8080/status?verbose=1',
      'http://127.0.0.1:1/', 'http://localhost:65535/a/b.json', 'http://127.0.0.1:8080/caf%C3%A9?a=1&b=2',
    ],
    refused: [
      'http://10.0.0.5:8080/health', 'http://example.com:8080/', 'http://127.0.0.2:8080/', 'http://[::2]:8080/',
      'http://::1:8080/', 'https://127.0.0.1:8443/health', 'http://127.0.0.1/health', 'http://127.0.0.1:0/',
      'http://127.0.0.1:65536/', 'http://127.0.0.1:08080/', 'http://user@127.0.0.1:8080/', 'http://localhost:8080health',
      'http://127.0.0.1:8080/a b', 'http://127.0.0.1:8080/health#top', 'http://127.0.0.1:8080/a|b', 'http://127.0.0.1:8080/%zz',
      "http://127.0.0.1:8080/h\u00e9", "http://127.0.0.1:8080/\nx", ' http://127.0.0.1:8080/', '127.0.0.1:8080', '', 8080,
    ],
  )
end
