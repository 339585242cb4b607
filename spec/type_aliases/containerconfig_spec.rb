# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::ContainerConfig' do
  rich = HoistSpec::Contract.with_every_key({
    'ensure' => 'present',
    'image' => 'registry.example.com:5000/example/weather',
    'image_tag' => 'v1',
    'command' => ['/bin/weather', '--serve'],
    'entrypoint' => '/bin/tini --',
    'network' => 'weathernet',
    'syslog' => true,
    'environment' => ['WEATHER_API_KEY=c2..4a'],
    'volumes' => ['/srv/weather/logs:/logs'],
    'ports' => ['8080:8080'],
    'kv_update' => true,
    'kv_layout' => 'shared',
    'kv_interval' => '20s',
    'check_interval' => '45s',
    'stop_timeout' => 30,
    'restart_governor' => 'weather_restarts',
    'update_governor' => 'weather_updates',
    'keep_images' => 2,
    'image_poll' => '1h',
    'min_image_age' => '0s',
    'restart_files' => ['/etc/weather/weather.conf'],
    'health_http' => 'http://127.0.0.1:8080/health',
    'health_status' => 204,
    'health_tcp' => '127.0.0.1:8080',
    'health_command' => 'curl -fs http://127.0.0.1/health',
    'start_timeout' => '2m',
    'min_healthy_time' => '10s',
    'memory' => '512m',
    'memory_reservation' => '256m',
    'cpus' => 1.5,
    'cpuset' => '0-1',
    'pids_limit' => 200,
    'user' => '1000:1000',
    'group_add' => ['audio'],
    'hostname' => 'weather-1',
    'dns' => ['192.0.2.53'],
    'dns_search' => ['example.com'],
    'extra_hosts' => ['db:192.0.2.5'],
    'labels' => { 'com.example.team' => 'weather' },
    'log_driver' => 'syslog',
    'log_opts' => { 'syslog-facility' => 'daemon' },
    'cap_add' => ['NET_ADMIN'],
    'cap_drop' => ['MKNOD'],
    'privileged' => true,
    'read_only' => true,
    'tmpfs' => ['/run:size=64m'],
    'ulimits' => ['nofile=1024:4096'],
    'devices' => ['/dev/fuse'],
    'working_dir' => '/srv/weather',
    'stop_signal' => 'SIGQUIT',
    'init' => true,
    'shm_size' => '128m',
    'sysctls' => { 'kernel.msgmax' => '65536' },
    'drain_time' => '10s',
    'register_ports' => [{ 'service' => 'weather', 'port' => 8080 }],
  })

  HoistSpec.type_cases(
    self,
    allowed: [
      { 'image' => 'example/weather' },
      rich,
      { 'image' => 'example/weather', 'ensure' => 'absent' },
      { 'image' => 'example/weather', 'stop_timeout' => 0 },
      rich.merge('min_healthy_time' => '0s', 'health_command' => ['/bin/weather', '--ping']),
      rich.merge('health_status' => 100),
      rich.merge('health_status' => 599),
      rich.merge('register_ports' => []),
      rich.merge('drain_time' => '0s'),
    ],
    refused: [
      {},
      { 'image_tag' => 'v1' },
      rich.merge('colour' => 'blue'),
      rich.merge('ensure' => 'running'),
      rich.merge('ports' => ['80:http']),
      rich.merge('environment' => ['WEATHER_API_KEY']),
      rich.merge('volumes' => ['logs:/logs']),
      rich.merge('kv_interval' => '0s'),
      rich.merge('stop_timeout' => -1),
      rich.merge('stop_timeout' => 3601),
      rich.merge('restart_files' => ['weather.conf']),
      rich.merge('syslog' => 'yes'),
      rich.merge('health_http' => 'http://10.0.0.5:8080/health'),
      rich.merge('health_status' => 99),
      rich.merge('health_status' => 600),
      rich.merge('health_status' => '200'),
      rich.merge('health_tcp' => '0'),
      rich.merge('health_tcp' => '70000'),
      rich.merge('health_tcp' => 8080),
      rich.merge('health_command' => []),
      rich.merge('start_timeout' => '0s'),
      rich.merge('min_healthy_time' => '5'),
      rich.merge('register_ports' => [{ 'service' => 'weather', 'port' => 0 }]),
      rich.merge('register_ports' => ['8080']),
      rich.merge('register_ports' => { 'service' => 'weather', 'port' => 8080 }),
      rich.merge('drain_time' => '5'),
    ],
  )

  # The struct and the rich example above hold the same keys, in the same order: adding a key to
  # the struct without the example fails here. (spec/defines/container_spec.rb checks that every
  # key reaches container.json.)
  it 'has the keys of the rich example, in order' do
    parser = Puppet::Pops::Parser::EvaluatingParser.singleton
    struct = parser.parse_file(File.join(HoistSpec::ROOT, 'types', 'containerconfig.pp')).definitions.first.type_expr.keys.first
    keys = struct.entries.map do |entry|
      key = entry.key
      key.is_a?(Puppet::Pops::Model::AccessExpression) ? key.keys.first.value : key.value
    end

    expect(keys).to eq(rich.keys)
  end
end
