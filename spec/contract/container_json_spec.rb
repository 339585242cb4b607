# frozen_string_literal: true

require 'spec_helper'

# Every container.json a catalog writes validates against schema/container-spec.v1.json
# (expect_container_json_valid, spec/support/contract.rb, runs harness/tools/contract.py).
describe 'hoist', type: :class do
  let(:store) { '/etc/choria/machine' }
  let(:facts) { { 'networking' => { 'ip' => '192.0.2.10' } } }
  let(:params) { { 'containers' => containers, 'kv_shared_bucket' => 'FLEET' } }

  def container_jsons
    catalogue.resources.select { |r| r.type == 'File' && r.title.end_with?('/container.json') }
             .map { |r| [r.title, HoistSpec.content(catalogue, r.title)] }
  end

  {
    'the smallest entry' => { 'web' => { 'image' => 'example/web' } },
    'every key set' => {
      'weather' => {
        'image' => 'registry.example.com:5000/example/weather', 'image_tag' => 'v1', 'command' => ['/bin/weather', '--serve'],
        'entrypoint' => '/bin/tini --', 'network' => 'weathernet', 'syslog' => true,
        'environment' => ['WEATHER_API_KEY=c2..4a', "PEM=line1\nline2"], 'volumes' => ['/srv/weather logs:/logs:ro'],
        'ports' => ['8080:8080', '[::ffff:192.0.2.1]:9090:90/udp', '3868:3868/sctp'], 'kv_update' => true, 'kv_layout' => 'shared',
        'kv_interval' => '20s', 'check_interval' => '45s', 'stop_timeout' => 30, 'restart_governor' => 'G',
        'update_governor' => '1x', 'restart_files' => ['/etc/weather/weather.conf'],
        'health_http' => 'http://[::1]:8080/health?deep=1', 'health_status' => 204, 'health_tcp' => '8080',
        'health_command' => "curl -fs 'http://127.0.0.1/health'", 'start_timeout' => '2m', 'min_healthy_time' => '0s',
        'register_ports' => [{ 'service' => 'weather', 'port' => 8080 }]
      },
    },
    'several containers, one absent' => {
      'a1' => { 'image' => 'example/a', 'kv_update' => true },
      'b2' => { 'image' => 'localhost:5000/b', 'ensure' => 'absent' },
      'c3' => { 'image' => 'example/c', 'environment' => ['A=1', 'A=2'], 'min_healthy_time' => '999h', 'start_timeout' => '999h' },
    },
  }.each do |what, containers|
    context "with #{what}" do
      let(:containers) { containers }

      it { is_expected.to compile.with_all_deps }

      it 'writes container.json files that validate against the schema' do
        files = container_jsons
        expect(files.length).to eq(containers.count { |_, c| c['ensure'] != 'absent' })
        files.each { |_, text| expect_container_json_valid(text) }
      end
    end
  end

  context 'when a container.json does not validate' do
    it 'expect_container_json_valid fails, naming the field' do
      expect { expect_container_json_valid('{"name": "web", "image": "example/web", "ports": ["80:http"]}') }
        .to raise_error(RSpec::Expectations::ExpectationNotMetError, %r{ports/0: fails pattern})
    end
  end
end
