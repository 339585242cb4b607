# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Registration' do
  # The original Hoist README's entry, every key set.
  let(:full) do
    {
      'cluster' => 'lon',
      'service' => 'surveyor',
      'protocol' => 'prometheus',
      'ip' => '192.168.1.10',
      'port' => 7777,
      'priority' => 1,
      'annotations' => { 'prometheus.io/scrape' => 'true', 'prometheus.io/path' => '/metrics' },
      'interval' => '30s',
    }
  end

  it { is_expected.to allow_value('service' => 'weather', 'port' => 8080) }
  it { is_expected.to allow_value(full) }
  it { is_expected.to allow_value(full.merge('port' => 1)) }
  it { is_expected.to allow_value(full.merge('port' => 65_535)) }
  it { is_expected.to allow_value(full.merge('priority' => 0)) }
  it { is_expected.to allow_value(full.merge('ip' => '::1')) }
  it { is_expected.to allow_value(full.merge('ip' => '2001:db8::10')) }
  it { is_expected.to allow_value(full.merge('annotations' => {})) }
  it { is_expected.to allow_value(full.merge('annotations' => { 'note' => '' })) }

  it { is_expected.not_to allow_value({}) }
  it { is_expected.not_to allow_value('port' => 8080) }
  it { is_expected.not_to allow_value('service' => 'weather') }
  it { is_expected.not_to allow_value(full.merge('port' => 0)) }
  it { is_expected.not_to allow_value(full.merge('port' => 65_536)) }
  it { is_expected.not_to allow_value(full.merge('port' => '7777')) }
  it { is_expected.not_to allow_value(full.merge('service' => 'surveyor.metrics')) }
  it { is_expected.not_to allow_value(full.merge('cluster' => 'eu-west.1')) }
  it { is_expected.not_to allow_value(full.merge('protocol' => '')) }
  it { is_expected.not_to allow_value(full.merge('ip' => 'localhost')) }
  it { is_expected.not_to allow_value(full.merge('ip' => '192.168.1.0/24')) }
  it { is_expected.not_to allow_value(full.merge('ip' => '010.0.0.1')) }
  it { is_expected.not_to allow_value(full.merge('ip' => '[::1]')) }
  it { is_expected.not_to allow_value(full.merge('priority' => -1)) }
  it { is_expected.not_to allow_value(full.merge('priority' => '1')) }
  it { is_expected.not_to allow_value(full.merge('annotations' => { 'prometheus.io/scrape' => true })) }
  it { is_expected.not_to allow_value(full.merge('annotations' => { '' => 'x' })) }
  it { is_expected.not_to allow_value(full.merge('interval' => '0s')) }
  it { is_expected.not_to allow_value(full.merge('interval' => '1m30s')) }
  it { is_expected.not_to allow_value(full.merge('address' => '192.168.1.10')) }
end
