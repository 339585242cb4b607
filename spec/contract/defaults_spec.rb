# frozen_string_literal: true

require 'spec_helper'

# The defaults Puppet fills in are the schema's `default`s (schema/container-spec.v1.json): class
# hoist's check_interval and kv_interval (manifests/init.pp), hoist::container's own defaults,
# the KV location (functions/kv_location.pp), the health defaults the machine's remediate timeout
# allows for (functions/container_machine.pp), and a register_ports entry's. Read from compiled
# catalogs, not from the manifests' text.
describe 'hoist', type: :class do
  let(:schema) { HoistSpec::Contract.schema }
  let(:props) { schema['properties'] }
  let(:store) { '/etc/choria/machine' }
  let(:params) { { 'containers' => { 'web' => { 'image' => 'example/web' }.merge(keys) } } }
  let(:keys) { {} }
  let(:facts) { { 'networking' => { 'ip' => '192.0.2.10' } } }
  let(:spec) { JSON.parse(HoistSpec.content(catalogue, "#{store}/hoist_web/container.json")) }
  let(:machine) { YAML.safe_load(HoistSpec.content(catalogue, "#{store}/hoist_web/machine.yaml")) }

  def seconds(duration)
    duration[0..-2].to_i * { 's' => 1, 'm' => 60, 'h' => 3600 }.fetch(duration[-1])
  end

  # The remediate watcher's timeout in seconds: max(300, start_timeout + min_healthy_time + stop_timeout + 120).
  def remediate_timeout
    seconds(machine['watchers'].find { |w| w['name'] == 'remediate' }['properties']['timeout'])
  end

  context 'with an entry of image alone' do
    it { is_expected.to compile.with_all_deps }

    it 'writes every default the schema gives, container.json holding what Puppet fills in' do
      written = props.select { |k, p| p.key?('default') && spec.key?(k) }
      expect(written.keys).to include('image_tag', 'network', 'kv_interval', 'check_interval', 'stop_timeout', 'kv_key')
      written.each { |k, p| expect([k, spec[k]]).to eq([k, p['default']]) }
    end

    it "leaves out only keys whose absence is the schema's default" do
      (props.keys - spec.keys).each do |k|
        expect([k, props[k].key?('default') || props[k].key?('x-default-text')]).to eq([k, true])
      end
    end

    it "resolves the KV location to the schema's kv_bucket template and kv_key default, from kv_layout's default" do
      expect(spec['kv_bucket']).to eq(props['kv_bucket']['x-default-template'].sub('{name}', 'web'))
      expect(spec['kv_key']).to eq(props['kv_key']['default'])
      expect(schema['$defs']['hiera_entry']['properties']['kv_layout']['default']).to eq('container')
    end
  end

  # The machine allows max(300, start + min_healthy + stop + 120) seconds: with stop_timeout 3600 the
  # sum shows, and setting one of the two health durations to a known value shows the other's default.
  context 'with stop_timeout 3600 and start_timeout 1s' do
    let(:keys) { { 'stop_timeout' => 3600, 'start_timeout' => '1s' } }

    it "allows for the schema's min_healthy_time default" do
      expect(remediate_timeout - 1 - 3600 - 120).to eq(seconds(props['min_healthy_time']['default']))
    end
  end

  context 'with stop_timeout 3600 and min_healthy_time 0s' do
    let(:keys) { { 'stop_timeout' => 3600, 'min_healthy_time' => '0s' } }

    it "allows for the schema's start_timeout default" do
      expect(remediate_timeout - 0 - 3600 - 120).to eq(seconds(props['start_timeout']['default']))
    end
  end

  context 'with a register_ports entry of service and port alone' do
    let(:keys) { { 'register_ports' => [{ 'service' => 'web', 'port' => 8080 }] } }

    it "publishes the schema's registration defaults" do
      gossip = machine['watchers'].find { |w| w['type'] == 'gossip' }
      defaults = schema['$defs']['registration']['properties']
      expect(gossip['properties']['registration']).to include('protocol' => defaults['protocol']['default'],
                                                              'priority' => defaults['priority']['default'])
      expect(gossip['interval']).to eq(defaults['interval']['default'])
    end
  end
end
