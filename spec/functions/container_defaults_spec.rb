# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::container_defaults' do
  # The values are also what hoist-cli applies to a key missing from container.json; the
  # upgrade goldens in spec/defines/container_spec.rb pin what Puppet writes with them.
  it 'holds each default Puppet fills in or reads, once' do
    is_expected.to run.with_params.and_return(
      'ensure' => 'present',
      'image_tag' => 'latest',
      'network' => 'bridge',
      'syslog' => false,
      'environment' => [],
      'volumes' => [],
      'ports' => [],
      'kv_update' => false,
      'kv_layout' => 'container',
      'kv_interval' => '10s',
      'check_interval' => '2m',
      'stop_timeout' => 10,
      'restart_files' => [],
      'start_timeout' => '60s',
      'min_healthy_time' => '1s',
      'register_ports' => [],
      'drain_time' => '5s',
    )
  end

  it 'holds no key that Hoist::ContainerConfig does not have, nor the required image' do
    defaults = subject.execute
    struct = Puppet::Pops::Types::TypeParser.singleton.parse('Hoist::ContainerConfig').resolved_type
    expect(defaults.keys - struct.elements.map(&:name)).to be_empty
    expect(defaults).not_to include('image')
  end
end
