# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Registration' do
  # The original Hoist README's entry, every key set.
  full = {
    'cluster' => 'lon',
    'service' => 'surveyor',
    'protocol' => 'prometheus',
    'ip' => '192.168.1.10',
    'port' => 7777,
    'priority' => 1,
    'annotations' => { 'prometheus.io/scrape' => 'true', 'prometheus.io/path' => '/metrics' },
    'interval' => '30s',
  }

  HoistSpec.type_cases(
    self,
    allowed: [
      { 'service' => 'weather', 'port' => 8080 },
      full,
      full.merge('port' => 1),
      full.merge('port' => 65_535),
      full.merge('priority' => 0),
      full.merge('ip' => '::1'),
      full.merge('ip' => '2001:db8::10'),
      full.merge('annotations' => {}),
      full.merge('annotations' => { 'note' => '' }),
    ],
    refused: [
      {},
      { 'port' => 8080 },
      { 'service' => 'weather' },
      full.merge('port' => 0),
      full.merge('port' => 65_536),
      full.merge('port' => '7777'),
      full.merge('service' => 'surveyor.metrics'),
      full.merge('cluster' => 'eu-west.1'),
      full.merge('protocol' => ''),
      full.merge('ip' => 'localhost'),
      full.merge('ip' => '192.168.1.0/24'),
      full.merge('ip' => '010.0.0.1'),
      full.merge('ip' => '[::1]'),
      full.merge('priority' => -1),
      full.merge('priority' => '1'),
      full.merge('annotations' => { 'prometheus.io/scrape' => true }),
      full.merge('annotations' => { '' => 'x' }),
      full.merge('interval' => '0s'),
      full.merge('interval' => '1m30s'),
      full.merge('address' => '192.168.1.10'),
    ],
  )
end
