# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::container' do
  let(:title) { 'weather' }
  let(:store) { '/etc/choria/machine' }
  let(:folder) { "#{store}/hoist_weather" }
  let(:pre_condition) { "class { 'hoist': purge => false }" }
  # The container, as one entry of hoist::containers holds it.
  let(:params) { { config: config.transform_keys(&:to_s) } }

  let(:container_json) { JSON.parse(HoistSpec.content(catalogue, "#{folder}/container.json")) }
  let(:machine) { YAML.safe_load(HoistSpec.content(catalogue, "#{folder}/machine.yaml")) }

  # The keys of Hoist::ContainerConfig, in the order types/containerconfig.pp lists them.
  def struct_keys
    parser = Puppet::Pops::Parser::EvaluatingParser.singleton
    struct = parser.parse_file(File.join(HoistSpec::ROOT, 'types', 'containerconfig.pp')).definitions.first.type_expr.keys.first
    struct.entries.map do |entry|
      key = entry.key
      key.is_a?(Puppet::Pops::Model::AccessExpression) ? key.keys.first.value : key.value
    end
  end

  # What this release writes where 0.1.0 wrote FILE of example NAME. The one change on purpose:
  # check_interval's default is 2m (0.1.0's was 3m, issue 18), so a container that leaves it unset
  # gets its container.json and machine.yaml rewritten once on upgrade (its machine reloads); its
  # Docker container is not replaced, as no interval is part of the spec hash (the upgrade stage).
  def since_0_1_0(name, file)
    text = File.read(File.join(HoistSpec::FIXTURES, 'upgrade', '0.1.0', "#{name}.#{file}"))
    return text unless name == 'image'

    changed = text.sub(file == 'container.json' ? '"check_interval": "3m"' : "- RUN\n  interval: 3m\n",
                       file == 'container.json' ? '"check_interval": "2m"' : "- RUN\n  interval: 2m\n")
    raise "#{name}.#{file}: no 0.1.0 check_interval default to replace" if changed == text

    changed
  end

  def exec_watcher(name, state, args, timeout, watcher = {}, properties = {})
    {
      'name' => name,
      'type' => 'exec',
      'state_match' => Array(state),
    }.merge(watcher).merge(
      'properties' => {
        'command' => "/usr/local/bin/hoist-cli #{args}",
        'timeout' => timeout,
      }.merge(properties),
    )
  end

  def nagios_check(interval)
    {
      'name' => 'check',
      'type' => 'nagios',
      'state_match' => ['RUN', 'DEGRADED', 'REMEDIATE', 'FORCE_CHECK'],
      'interval' => interval,
      'properties' => {
        'plugin' => '/usr/local/bin/hoist-cli check --nagios weather',
        'timeout' => '60s',
      },
    }
  end

  let(:transitions) do
    [
      ['remediate', ['START', 'RUN', 'DEGRADED'], 'REMEDIATE', 'The check failed: converge, replacing the container only when needed'],
      ['restart', ['RUN', 'DEGRADED'], 'RESTART', 'Replace the container with a new one from the current spec'],
      ['update', ['RUN', 'DEGRADED', 'REMEDIATE'], 'UPDATE', 'Pull the desired image; the check then has the container replaced'],
      ['stop', ['START', 'RUN', 'DEGRADED', 'REMEDIATE', 'RESTART', 'UPDATE', 'MAINTENANCE', 'FORCE_CHECK'], 'STOP', 'Stop the container, then enter maintenance'],
      ['maintenance', ['START', 'RUN', 'DEGRADED', 'REMEDIATE', 'RESTART', 'UPDATE', 'FORCE_CHECK'], 'MAINTENANCE', 'Pause health checks and remediation'],
      ['resume', ['MAINTENANCE'], 'FORCE_CHECK', 'Leave maintenance: check and remediate again'],
      ['healthy', ['START'], 'RUN', 'The container already runs as specified'],
      ['started', ['REMEDIATE', 'RESTART'], 'RUN', 'The container runs as specified and is healthy'],
      ['updated', ['UPDATE'], 'FORCE_CHECK', 'The desired image is present'],
      ['update_failed', ['UPDATE'], 'FORCE_CHECK', 'The desired image could not be pulled; keep the running container'],
      ['stopped', ['STOP'], 'MAINTENANCE', 'The container is stopped'],
      ['OK', ['DEGRADED', 'FORCE_CHECK'], 'RUN', 'The check passed'],
      ['WARNING', ['RUN', 'FORCE_CHECK'], 'DEGRADED', 'The check passed, but Docker restarted the container within the last check interval'],
      ['CRITICAL', ['RUN', 'DEGRADED', 'FORCE_CHECK'], 'REMEDIATE', 'The check failed: converge, replacing the container only when needed'],
      ['UNKNOWN', ['FORCE_CHECK'], 'RUN', 'The check could not be made; a forced check goes back to RUN'],
      ['FORCE_CHECK', ['RUN', 'DEGRADED'], 'FORCE_CHECK', 'Check now (choria scout trigger)'],
      ['MAINTENANCE', ['START', 'RUN', 'DEGRADED', 'REMEDIATE', 'RESTART', 'UPDATE', 'FORCE_CHECK'], 'MAINTENANCE', 'Pause health checks and remediation (choria scout maintenance)'],
      ['RESUME', ['MAINTENANCE'], 'FORCE_CHECK', 'Leave maintenance (choria scout resume)'],
    ].map { |n, f, d, desc| { 'name' => n, 'from' => f, 'destination' => d, 'description' => desc } }
  end

  # The transitions of a machine whose check runs every SECONDS: from 90 s on, the check's OK is
  # also a RUN to RUN transition (issue 26), so that a passing check adds nothing to Choria's log;
  # below, it is not, to keep the machine out of Choria's transition rate limit.
  def transitions_at(seconds)
    transitions.map { |t| t['name'] == 'OK' && seconds >= 90 ? t.merge('from' => ['RUN'] + t['from']) : t }
  end

  def interval_seconds(duration)
    m = %r{\A(\d+)([hms])\z}.match(duration)
    m[1].to_i * { 's' => 1, 'm' => 60, 'h' => 3600 }.fetch(m[2])
  end

  describe "the check's OK in RUN" do
    {
      '10s' => ['DEGRADED', 'FORCE_CHECK'],
      '1m' => ['DEGRADED', 'FORCE_CHECK'],
      '89s' => ['DEGRADED', 'FORCE_CHECK'],
      '90s' => ['RUN', 'DEGRADED', 'FORCE_CHECK'],
      '2m' => ['RUN', 'DEGRADED', 'FORCE_CHECK'],
      '1h' => ['RUN', 'DEGRADED', 'FORCE_CHECK'],
    }.each do |interval, from|
      context "with check_interval #{interval}" do
        let(:config) { { image: 'example/weather', check_interval: interval } }

        it "is a transition to RUN from #{from.join(', ')}" do
          ok = machine['transitions'].select { |t| t['name'] == 'OK' }
          expect(ok).to eq([{ 'name' => 'OK', 'from' => from, 'destination' => 'RUN', 'description' => 'The check passed' }])
        end

        # Every other event a check fires in RUN leaves RUN, as before; UNKNOWN stays a warning.
        it 'changes no other transition' do
          expect(machine['transitions'].reject { |t| t['name'] == 'OK' }).to eq(transitions.reject { |t| t['name'] == 'OK' })
        end
      end
    end
  end

  context 'with every key set (the rich example)' do
    let(:facts) { { networking: { ip: '198.51.100.7' } } }
    let(:config) do
      {
        image: 'registry.example.com:5000/example/weather',
        image_tag: 'v1',
        command: ['/bin/weather', '--serve'],
        entrypoint: '/bin/tini --',
        network: 'weathernet',
        syslog: true,
        environment: ['WEATHER_API_KEY=c2..4a', 'MODE=prod'],
        volumes: ['/srv/weather/logs:/logs', '/etc/weather:/config:ro'],
        ports: ['8080:8080', '127.0.0.1:9090:90/udp'],
        kv_update: true,
        kv_layout: 'container',
        kv_interval: '20s',
        check_interval: '45s',
        stop_timeout: 30,
        restart_governor: 'weather_restarts',
        update_governor: 'weather_updates',
        keep_images: 3,
        image_poll: '1h',
        min_image_age: '24h',
        restart_files: ['/etc/weather/weather.conf', '/etc/weather/keys.pem'],
        health_http: 'http://127.0.0.1:8080/health?full=1',
        health_status: 204,
        health_tcp: '[::1]:9090',
        health_command: ['/bin/weather', '--ping'],
        start_timeout: '5m',
        min_healthy_time: '10s',
        memory: '512m',
        memory_reservation: '256m',
        cpus: 1.5,
        cpuset: '0-1',
        pids_limit: 200,
        user: '1000:1000',
        group_add: ['audio'],
        hostname: 'weather-1',
        dns: ['192.0.2.53'],
        dns_search: ['example.com'],
        extra_hosts: ['db:192.0.2.5'],
        labels: { 'com.example.team' => 'weather' },
        log_driver: 'syslog',
        log_opts: { 'syslog-facility' => 'daemon' },
        cap_add: ['NET_ADMIN'],
        cap_drop: ['MKNOD'],
        privileged: true,
        read_only: true,
        tmpfs: ['/run:size=64m'],
        ulimits: ['nofile=1024:4096'],
        devices: ['/dev/fuse'],
        working_dir: '/srv/weather',
        stop_signal: 'SIGQUIT',
        init: true,
        shm_size: '128m',
        sysctls: { 'kernel.msgmax' => '65536' },
        register_ports: [
          {
            'cluster' => 'lon', 'service' => 'weather', 'protocol' => 'http', 'ip' => '192.0.2.10', 'port' => 8080,
            'priority' => 5, 'annotations' => { 'prometheus.io/scrape' => 'true', 'prometheus.io/path' => '/metrics' },
            'interval' => '30s'
          },
          { 'service' => 'weather_admin', 'port' => 8081 },
        ],
        drain_time: '10s',
      }.then { |example| HoistSpec::Contract.with_every_key(example) }
    end

    it { is_expected.to compile.with_all_deps }

    it 'writes the machine folder, container.json (0600) and machine.yaml' do
      is_expected.to contain_file(folder).with(ensure: 'directory', owner: 'root', group: 'root', mode: '0755')
      is_expected.to contain_file("#{folder}/container.json")
        .with(ensure: 'file', owner: 'root', group: 'root', mode: '0600')
        .that_comes_before("File[#{folder}/machine.yaml]")
      is_expected.to contain_file("#{folder}/machine.yaml").with(ensure: 'file', owner: 'root', group: 'root', mode: '0644')
    end

    it 'marks container.json Sensitive, so no diff or log shows the environment' do
      expect(catalogue.resource('File', "#{folder}/container.json").sensitive_parameters).to include(:content)
    end

    it 'writes every key to container.json, with the KV location resolved and no ensure, kv_layout, register_ports or drain_time' do
      expect(container_json).to eq(HoistSpec::Contract.with_every_key(
        'name' => 'weather',
        'image' => 'registry.example.com:5000/example/weather',
        'image_tag' => 'v1',
        'command' => ['/bin/weather', '--serve'],
        'entrypoint' => '/bin/tini --',
        'network' => 'weathernet',
        'syslog' => true,
        'environment' => ['WEATHER_API_KEY=c2..4a', 'MODE=prod'],
        'volumes' => ['/srv/weather/logs:/logs', '/etc/weather:/config:ro'],
        'ports' => ['8080:8080', '127.0.0.1:9090:90/udp'],
        'kv_update' => true,
        'kv_bucket' => 'HOIST_weather',
        'kv_key' => 'TAG',
        'kv_interval' => '20s',
        'check_interval' => '45s',
        'stop_timeout' => 30,
        'restart_governor' => 'weather_restarts',
        'update_governor' => 'weather_updates',
        'keep_images' => 3,
        'image_poll' => '1h',
        'min_image_age' => '24h',
        'restart_files' => ['/etc/weather/weather.conf', '/etc/weather/keys.pem'],
        'health_http' => 'http://127.0.0.1:8080/health?full=1',
        'health_status' => 204,
        'health_tcp' => '[::1]:9090',
        'health_command' => ['/bin/weather', '--ping'],
        'start_timeout' => '5m',
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
      ))
      expect(container_json.keys.first).to eq('name')
    end

    # A key added to the struct needs no line in manifests/container.pp; this example must set it.
    it 'writes every key of Hoist::ContainerConfig but ensure, kv_layout, register_ports and drain_time' do
      expect(config.keys.map(&:to_s)).to match_array(struct_keys - ['ensure'])
      expect(container_json.keys - ['name', 'kv_bucket', 'kv_key']).to match_array(struct_keys - ['ensure', 'kv_layout', 'register_ports', 'drain_time'])
    end

    it 'declares its machine through hoist::machine, with container.json as a Sensitive file and registrations.json' do
      is_expected.to contain_hoist__machine('hoist_weather').with(ensure: 'present', store: store, initial_state: 'START', version: '1.0.0')
      files = catalogue.resource('Hoist::Machine', 'hoist_weather')[:files]
      expect(files.keys).to eq(['container.json', 'registrations.json'])
      expect(files['container.json']).to be_a(Puppet::Pops::Types::PSensitiveType::Sensitive)
    end

    # Issue 27: what hoist-cli withdraws from CHORIA_SERVICES before a replacement, and drain_time.
    it 'writes registrations.json (0644, no secrets): each entry\'s key parts, address and port, and drain_time' do
      is_expected.to contain_file("#{folder}/registrations.json").with(ensure: 'file', mode: '0644')
      expect(JSON.parse(HoistSpec.content(catalogue, "#{folder}/registrations.json"))).to eq(
        'drain_time' => '10s',
        'registrations' => [
          { 'cluster' => 'lon', 'service' => 'weather', 'protocol' => 'http', 'ip' => '192.0.2.10', 'port' => 8080 },
          { 'cluster' => 'weather', 'service' => 'weather_admin', 'protocol' => 'tcp', 'ip' => '198.51.100.7', 'port' => 8081 },
        ],
      )
    end

    # start_timeout 5m + min_healthy_time 10s + stop_timeout 30 + 120 = 460 seconds.
    it 'writes the whole machine, the remediate and restart timeouts covering a health-gated start' do
      expect(machine).to eq(
        'name' => 'hoist_weather',
        'version' => '1.0.0',
        'initial_state' => 'START',
        'transitions' => transitions,
        'watchers' => [
          exec_watcher('initial_check', 'START', 'check weather', '60s',
                       { 'interval' => '2s', 'success_transition' => 'healthy', 'fail_transition' => 'remediate' }),
          nagios_check('45s'),
          exec_watcher('remediate', 'REMEDIATE', 'start --if-needed weather', '460s',
                       { 'interval' => '30s', 'success_transition' => 'started' },
                       { 'governor' => 'weather_restarts' }),
          exec_watcher('restart', 'RESTART', 'restart weather', '460s',
                       { 'interval' => '30s', 'success_transition' => 'started' },
                       { 'governor' => 'weather_restarts' }),
          exec_watcher('update', 'UPDATE', 'update weather', '10m',
                       { 'success_transition' => 'updated', 'fail_transition' => 'update_failed' },
                       { 'governor' => 'weather_updates' }),
          exec_watcher('stop', 'STOP', 'stop weather', '90s',
                       { 'interval' => '30s', 'success_transition' => 'stopped' }),
          exec_watcher('image_poll', ['RUN', 'DEGRADED'], 'poll weather', '10m',
                       { 'interval' => '1h', 'fail_transition' => 'remediate' }, { 'suppress_success_announce' => true }),
          {
            'name' => 'tag',
            'type' => 'kv',
            'state_match' => ['RUN', 'DEGRADED', 'REMEDIATE'],
            'interval' => '20s',
            'success_transition' => 'update',
            'properties' => { 'bucket' => 'HOIST_weather', 'key' => 'TAG', 'mode' => 'poll', 'bucket_prefix' => false },
          },
          {
            'name' => 'failed_tag',
            'type' => 'kv',
            'state_match' => ['START', 'RUN', 'DEGRADED', 'REMEDIATE'],
            'interval' => '20s',
            'properties' => { 'bucket' => 'HOIST_weather', 'key' => 'TAG_failed', 'mode' => 'poll', 'bucket_prefix' => false },
          },
          {
            'name' => 'rollout',
            'type' => 'kv',
            'state_match' => ['RUN', 'DEGRADED', 'REMEDIATE'],
            'interval' => '20s',
            'success_transition' => 'update',
            'properties' => { 'bucket' => 'HOIST_weather', 'key' => 'TAG_rollout', 'mode' => 'poll', 'bucket_prefix' => false },
          },
          {
            'name' => 'restart_file_1',
            'type' => 'file',
            'state_match' => ['RUN', 'DEGRADED'],
            'success_transition' => 'restart',
            'properties' => { 'path' => '/etc/weather/weather.conf', 'gather_initial_state' => true },
          },
          {
            'name' => 'restart_file_2',
            'type' => 'file',
            'state_match' => ['RUN', 'DEGRADED'],
            'success_transition' => 'restart',
            'properties' => { 'path' => '/etc/weather/keys.pem', 'gather_initial_state' => true },
          },
          exec_watcher('drain', 'MAINTENANCE', 'drain --no-wait weather', '1m'),
          {
            'name' => 'register_port_1',
            'type' => 'gossip',
            'state_match' => ['RUN', 'DEGRADED'],
            'interval' => '30s',
            'properties' => {
              'registration' => {
                'cluster' => 'lon', 'service' => 'weather', 'protocol' => 'http', 'ip' => '192.0.2.10', 'port' => 8080,
                'priority' => 5, 'annotations' => { 'prometheus.io/scrape' => 'true', 'prometheus.io/path' => '/metrics' }
              },
            },
          },
          {
            # The defaults: cluster the container's name, protocol tcp, ip the node's
            # networking.ip fact, priority 1, the gossip watcher's 15s, no annotations.
            'name' => 'register_port_2',
            'type' => 'gossip',
            'state_match' => ['RUN', 'DEGRADED'],
            'interval' => '15s',
            'properties' => {
              'registration' => {
                'cluster' => 'weather', 'service' => 'weather_admin', 'protocol' => 'tcp', 'ip' => '198.51.100.7', 'port' => 8081,
                'priority' => 1
              },
            },
          },
        ],
      )
    end

    it 'keeps environment values and the health settings out of machine.yaml' do
      yaml = HoistSpec.content(catalogue, "#{folder}/machine.yaml")
      expect(yaml).not_to include('WEATHER_API_KEY')
      expect(yaml).not_to include('c2..4a')
      expect(yaml).not_to match(%r{health_|start_timeout|min_healthy_time|--ping|9090})
    end

    it 'writes a machine.yaml that validates against the Choria machine schema' do
      ok, out, count = HoistSpec.validate_machines(catalogue)
      expect(count).to eq(1)
      expect(ok).to be(true), out
    end
  end

  context 'with only an image' do
    let(:config) { { image: 'example/weather' } }

    it { is_expected.to compile.with_all_deps }

    it 'fills in the defaults and leaves the unset optional keys out of container.json' do
      expect(container_json).to eq(
        'name' => 'weather',
        'image' => 'example/weather',
        'image_tag' => 'latest',
        'network' => 'bridge',
        'syslog' => false,
        'environment' => [],
        'volumes' => [],
        'ports' => [],
        'kv_update' => false,
        'kv_bucket' => 'HOIST_weather',
        'kv_key' => 'TAG',
        'kv_interval' => '10s',
        'check_interval' => '2m',
        'stop_timeout' => 10,
        'restart_files' => [],
      )
    end

    # The remediate and restart timeout: max(300, 60 + 1 + 10 + 120) seconds.
    it 'writes the six exec watchers only: no governors, no KV or file watchers' do
      expect(machine['transitions']).to eq(transitions_at(120))
      expect(machine['watchers']).to eq(
        [
          exec_watcher('initial_check', 'START', 'check weather', '60s',
                       { 'interval' => '2s', 'success_transition' => 'healthy', 'fail_transition' => 'remediate' }),
          nagios_check('2m'),
          exec_watcher('remediate', 'REMEDIATE', 'start --if-needed weather', '300s',
                       { 'interval' => '30s', 'success_transition' => 'started' }),
          exec_watcher('restart', 'RESTART', 'restart weather', '300s',
                       { 'interval' => '30s', 'success_transition' => 'started' }),
          exec_watcher('update', 'UPDATE', 'update weather', '10m',
                       { 'success_transition' => 'updated', 'fail_transition' => 'update_failed' }),
          exec_watcher('stop', 'STOP', 'stop weather', '70s',
                       { 'interval' => '30s', 'success_transition' => 'stopped' }),
        ],
      )
    end

    it 'validates against the Choria machine schema' do
      ok, out, = HoistSpec.validate_machines(catalogue)
      expect(ok).to be(true), out
    end
  end

  context 'with image_poll' do
    let(:config) { { image: 'example/weather', image_tag: 'stable', image_poll: '10m', min_image_age: '24h', keep_images: 0 } }

    it { is_expected.to compile.with_all_deps }

    it 'writes the keys to container.json as they are' do
      expect(container_json).to include('image_poll' => '10m', 'min_image_age' => '24h', 'keep_images' => 0)
      expect_container_json_valid(HoistSpec.content(catalogue, "#{folder}/container.json"))
    end

    it 'polls the registry in RUN and DEGRADED every image_poll; exit 1 (a new image to run) remediates' do
      expect(machine['watchers']).to include(
        exec_watcher('image_poll', ['RUN', 'DEGRADED'], 'poll weather', '10m',
                     { 'interval' => '10m', 'fail_transition' => 'remediate' }, { 'suppress_success_announce' => true }),
      )
    end

    it 'writes a machine that validates against the Choria machine schema' do
      ok, out, count = HoistSpec.validate_machines(catalogue)
      expect(count).to be >= 1
      expect(ok).to be(true), out
    end
  end

  context 'without image_poll' do
    let(:config) { { image: 'example/weather' } }

    it 'has no image_poll watcher and writes none of the three keys' do
      expect(machine['watchers'].map { |w| w['name'] }).not_to include('image_poll')
      expect(container_json.keys).not_to include('image_poll', 'min_image_age', 'keep_images')
    end
  end

  context 'with health settings' do
    # The remediate and restart watchers share one timeout.
    let(:restart_timeout) do
      timeouts = machine['watchers'].select { |w| ['remediate', 'restart'].include?(w['name']) }.map { |w| w['properties']['timeout'] }
      expect(timeouts.size).to eq(2)
      expect(timeouts.uniq.size).to eq(1), "remediate and restart timeouts differ: #{timeouts}"
      timeouts.first
    end

    context 'with a probe of each kind and a string health_command' do
      let(:config) do
        {
          image: 'example/weather',
          health_http: 'http://localhost:8080',
          health_tcp: '8080',
          health_command: 'curl -fs http://127.0.0.1/health',
        }
      end

      it { is_expected.to compile.with_all_deps }

      it 'writes the keys that are set, and leaves health_status, start_timeout and min_healthy_time out' do
        expect(container_json).to include(
          'health_http' => 'http://localhost:8080',
          'health_tcp' => '8080',
          'health_command' => 'curl -fs http://127.0.0.1/health',
        )
        expect(container_json.keys).not_to include('health_status', 'start_timeout', 'min_healthy_time')
      end

      it { expect(restart_timeout).to eq('300s') }
    end

    context 'with start_timeout 3m and the other times left to their defaults' do
      let(:config) { { image: 'example/weather', start_timeout: '3m' } }

      # 180 + 1 (min_healthy_time) + 10 (stop_timeout) + 120 = 311 seconds.
      it { expect(restart_timeout).to eq('311s') }
    end

    context 'with start_timeout 1h, min_healthy_time 0s and stop_timeout 600' do
      let(:config) { { image: 'example/weather', start_timeout: '1h', min_healthy_time: '0s', stop_timeout: 600 } }

      it { is_expected.to compile.with_all_deps }

      it 'writes min_healthy_time 0s to container.json' do
        expect(container_json).to include('start_timeout' => '1h', 'min_healthy_time' => '0s', 'stop_timeout' => 600)
      end

      # 3600 + 0 + 600 + 120 = 4320 seconds.
      it { expect(restart_timeout).to eq('4320s') }

      it 'validates against the Choria machine schema' do
        ok, out, = HoistSpec.validate_machines(catalogue)
        expect(ok).to be(true), out
      end
    end
  end

  # The only change to a 0.1.0 machine since (issue 17): the transitions above (with, from a
  # check_interval of a minute, the check's OK from RUN to RUN: issue 26), the exec check replaced
  # by the nagios check (same interval, same place), DEGRADED added wherever RUN's other watchers
  # run, and no `environment` in any watcher (issue 25: the launcher reads the node's settings
  # file). Everything else is as 0.1.0 wrote it.
  def expect_scout_upgrade(now, old)
    expect(now.keys).to eq(old.keys)
    expect(now.reject { |k, _| ['transitions', 'watchers'].include?(k) }).to eq(old.reject { |k, _| ['transitions', 'watchers'].include?(k) })
    old_check = old['watchers'].find { |w| w['name'] == 'check' }
    expect(now['transitions']).to eq(transitions_at(interval_seconds(old_check['interval'])))
    expect(now['watchers'].map { |w| w['name'] }).to eq(old['watchers'].map { |w| w['name'] })
    expect(now['watchers'].find { |w| w['name'] == 'check' }).to eq(nagios_check(old_check['interval']))
    others = now['watchers'].reject { |w| w['name'] == 'check' }.map { |w| w.merge('state_match' => w['state_match'] - ['DEGRADED']) }
    expect(now['watchers'].map { |w| w['properties'].key?('environment') }.uniq).to eq([false])
    expect(old['watchers'].reject { |w| w['name'] == 'check' || w['type'] != 'exec' }.map { |w| w['properties']['environment'] }.uniq)
      .to eq([['DOCKER_HOST=unix:///var/run/docker.sock', 'HOIST_CLI_JAR=/usr/local/lib/hoist/hoist-cli.jar']])
    expect(others).to eq(old['watchers'].reject { |w| w['name'] == 'check' }.map { |w| w.merge('properties' => w['properties'].reject { |k, _| k == 'environment' }) })
  end

  # What Hoist 0.1.0 wrote for the same Hiera (spec/fixtures/upgrade/0.1.0, rendered by 0.1.0's
  # manifests): a container.json that changes is rewritten on every node on upgrade, and a
  # machine.yaml that changes reloads every machine. Change a golden file only on purpose.
  describe 'upgrading from Hoist 0.1.0' do
    let(:facts) { { networking: { ip: '198.51.100.7' } } }

    {
      'rich' => {
        image: 'registry.example.com:5000/example/weather', image_tag: 'v1', command: ['/bin/weather', '--serve'],
        entrypoint: '/bin/tini --', network: 'weathernet', syslog: true, environment: ['WEATHER_API_KEY=c2..4a', 'MODE=prod', 'MODE=test'],
        volumes: ['/srv/weather/logs:/logs', '/etc/weather:/config:ro'], ports: ['8080:8080', '127.0.0.1:9090:90/udp'],
        kv_update: true, kv_layout: 'shared', kv_interval: '20s', check_interval: '45s', stop_timeout: 30,
        restart_governor: 'weather_restarts', update_governor: 'weather_updates', restart_files: ['/etc/weather/weather.conf'],
        health_http: 'http://127.0.0.1:8080/health?full=1', health_status: 204, health_tcp: '[::1]:9090',
        health_command: 'curl -fs http://127.0.0.1/health', start_timeout: '5m', min_healthy_time: '0s',
        register_ports: [{ 'service' => 'weather', 'port' => 8080, 'annotations' => { 'prometheus.io/scrape' => 'true' } }]
      },
      'image' => { image: 'example/weather' },
    }.each do |name, given|
      context "with the #{name} example" do
        let(:config) { given }

        it 'writes container.json byte for byte as 0.1.0 did (but for the new check_interval default)' do
          expect(HoistSpec.content(catalogue, "#{folder}/container.json")).to eq(since_0_1_0(name, 'container.json'))
        end

        # On purpose: the check is Scout's (issue 17), check_interval defaults to 2m (issue 18), a
        # kv_update container's machine gains the `rollout` KV watcher (issue 15), and one with
        # register_ports the `drain` watcher (issue 27): each machine reloads once on upgrade
        # (START, then RUN: no restart).
        it 'writes machine.yaml as 0.1.0 did but for the Scout check, the 2m default, the rollout (kv_update) and drain (register_ports) watchers' do
          now = YAML.safe_load(HoistSpec.content(catalogue, "#{folder}/machine.yaml"))
          added = now['watchers'].select { |w| w['name'] == 'rollout' }
          expect(added.size).to eq(given[:kv_update] ? 1 : 0)
          # Issue 27: with register_ports, maintenance's drain watcher.
          drain = now['watchers'].select { |w| w['name'] == 'drain' }
          expect(drain.size).to eq(given[:register_ports] ? 1 : 0)
          added += drain
          now['watchers'] -= added
          expect_scout_upgrade(now, YAML.safe_load(since_0_1_0(name, 'machine.yaml')))
        end
      end

      context "with the #{name} example's keys in reverse order" do
        let(:config) { given.to_a.reverse.to_h }

        it 'writes the same container.json: the keys come in 0.1.0\'s order, whatever the Hiera order' do
          expect(HoistSpec.content(catalogue, "#{folder}/container.json")).to eq(since_0_1_0(name, 'container.json'))
        end
      end
    end
  end

  # The node's settings live in one file the launcher reads (hoist::settings_file), so that changing
  # one (the Docker endpoint, say) rewrites that file and reloads no machine: with every setting
  # changed, each machine.yaml is still the one the defaults give, the same expected value as above.
  describe "changing the node's settings" do
    {
      'the Docker endpoint' => "docker_host => 'tcp://127.0.0.1:2375'",
      'the engine' => "engine => 'podman'",
      'every setting but cli_path' => <<~PP,
        docker_host => 'ssh://deploy@docker.example', jar_path => '/opt/hoist/lib/hoist-cli.jar', java_path => '/opt/java/bin/java',
        kv_server => 'nats://broker1:4222', kv_config => '/etc/choria/server.conf', identity => 'n1.example',
        registry_auth_file => '/srv/secrets/registry.json', settings_file => '/srv/hoist/node.conf',
      PP
    }.each do |what, settings|
      context "(#{what})" do
        let(:pre_condition) { "class { 'hoist': purge => false, #{settings} }" }

        context 'with an image alone' do
          let(:config) { { image: 'example/weather' } }

          it 'writes machine.yaml as the defaults write it (the same expected value as the upgrade from 0.1.0), so Choria reloads no machine' do
            expect_scout_upgrade(YAML.safe_load(HoistSpec.content(catalogue, "#{folder}/machine.yaml")), YAML.safe_load(since_0_1_0('image', 'machine.yaml')))
          end
        end

        context 'with kv_update, image_poll and restart_files' do
          let(:config) { { image: 'example/weather', kv_update: true, image_poll: '10m', restart_files: ['/etc/weather.conf'] } }

          it 'writes machine.yaml with no setting in it' do
            expect(HoistSpec.content(catalogue, "#{folder}/machine.yaml")).not_to match(%r{DOCKER_HOST|HOIST_[A-Z]|/usr/bin/env|environment|tcp://|ssh://|podman|/opt/|/srv/})
          end
        end
      end
    end
  end

  context 'with every default of hoist::container_defaults given explicitly' do
    let(:params) { { config: RSpec::Puppet::RawString.new("{ 'image' => 'example/weather' } + hoist::container_defaults()") } }

    it { is_expected.to compile.with_all_deps }

    it 'writes the container.json of those left unset, plus start_timeout and min_healthy_time, which are written when set' do
      expect(container_json).to eq(JSON.parse(since_0_1_0('image', 'container.json')).merge('start_timeout' => '60s', 'min_healthy_time' => '1s'))
    end

    it 'writes the machine.yaml of those left unset: the machine assumes the defaults hoist-cli applies' do
      expect_scout_upgrade(YAML.safe_load(HoistSpec.content(catalogue, "#{folder}/machine.yaml")),
                           YAML.safe_load(since_0_1_0('image', 'machine.yaml')))
    end
  end

  context 'with the shared KV layout' do
    let(:config) { { image: 'example/weather', kv_update: true, kv_layout: 'shared' } }

    it 'uses bucket HOIST and key container/NAME/tag in container.json and in the KV watcher' do
      expect(container_json).to include('kv_bucket' => 'HOIST', 'kv_key' => 'container/weather/tag')
      expect(machine['watchers'].find { |w| w['name'] == 'tag' }['properties']).to eq(
        'bucket' => 'HOIST', 'key' => 'container/weather/tag', 'mode' => 'poll', 'bucket_prefix' => false,
      )
    end

    it 'watches the failure marker container/NAME/tag_failed in the same bucket' do
      expect(machine['watchers'].find { |w| w['name'] == 'failed_tag' }['properties']).to eq(
        'bucket' => 'HOIST', 'key' => 'container/weather/tag_failed', 'mode' => 'poll', 'bucket_prefix' => false,
      )
    end

    it 'validates against the Choria machine schema' do
      ok, out, = HoistSpec.validate_machines(catalogue)
      expect(ok).to be(true), out
    end
  end

  context 'with the class settings changed' do
    let(:pre_condition) do
      <<~PP
        class { 'hoist':
          purge            => false,
          machine_store    => '/var/lib/choria/machines',
          cli_path         => '/opt/hoist/bin/hoist-cli',
          jar_path         => '/opt/hoist/lib/hoist-cli.jar',
          java_path        => '/opt/java/bin/java',
          docker_host      => 'tcp://127.0.0.1:2375',
          check_interval   => '1m',
          kv_interval      => '2m',
          kv_layout        => 'shared',
          kv_shared_bucket => 'FLEET',
          kv_server        => 'nats://broker1:4222,nats://broker2:4222',
          kv_config        => '/etc/choria/server.conf',
        }
      PP
    end
    let(:store) { '/var/lib/choria/machines' }
    let(:config) { { image: 'example/weather', kv_update: true } }

    it 'takes the store, the intervals and the KV layout from class hoist' do
      expect(container_json).to include(
        'kv_bucket' => 'FLEET', 'kv_key' => 'container/weather/tag', 'kv_interval' => '2m', 'check_interval' => '1m',
      )
      expect(machine['watchers'].map { |w| [w['name'], w['interval']] }).to eq(
        [
          ['initial_check', '2s'], ['check', '1m'], ['remediate', '30s'], ['restart', '30s'], ['update', nil], ['stop', '30s'],
          ['tag', '2m'], ['failed_tag', '2m'], ['rollout', '2m']
        ],
      )
    end

    it 'calls hoist-cli by its path, with no environment: the Docker host, the jar, java and the KV broker are in the settings file' do
      verbs = { 'initial_check' => 'check', 'remediate' => 'start --if-needed' }
      exec = machine['watchers'].select { |w| w['type'] == 'exec' }
      expect(exec.size).to eq(5)
      exec.each do |w|
        expect(w['properties']['command']).to eq("/opt/hoist/bin/hoist-cli #{verbs.fetch(w['name'], w['name'])} weather")
        expect(w['properties']).not_to have_key('environment')
      end
    end

    it 'runs the nagios check as the launcher by its path, as the seed did' do
      check = machine['watchers'].find { |w| w['name'] == 'check' }
      expect(check['properties']['plugin']).to eq('/opt/hoist/bin/hoist-cli check --nagios weather')
    end

    it 'watches the rollout beside the tag, container/NAME/tag_rollout in bucket FLEET, firing update' do
      expect(machine['watchers'].find { |w| w['name'] == 'rollout' }).to include(
        'state_match' => ['RUN', 'DEGRADED', 'REMEDIATE'], 'success_transition' => 'update',
        'properties' => { 'bucket' => 'FLEET', 'key' => 'container/weather/tag_rollout', 'mode' => 'poll', 'bucket_prefix' => false },
      )
    end

    it 'watches the shared layout failure marker, container/NAME/tag_failed in bucket FLEET' do
      expect(machine['watchers'].find { |w| w['name'] == 'failed_tag' }['properties']).to include(
        'bucket' => 'FLEET', 'key' => 'container/weather/tag_failed',
      )
    end

    it 'validates against the Choria machine schema' do
      ok, out, = HoistSpec.validate_machines(catalogue)
      expect(ok).to be(true), out
    end

    context 'and a container that keeps the container layout' do
      let(:config) { { image: 'example/weather', kv_update: true, kv_layout: 'container' } }

      it { expect(container_json).to include('kv_bucket' => 'HOIST_weather', 'kv_key' => 'TAG') }
    end
  end

  context 'with register_ports' do
    let(:facts) { { networking: { ip: '2001:db8::7' } } }
    let(:config) { { image: 'example/weather', register_ports: [{ 'service' => 'weather', 'port' => 8080, 'annotations' => {} }] } }
    let(:gossip) { machine['watchers'].select { |w| w['type'] == 'gossip' } }

    it { is_expected.to compile.with_all_deps }

    it 'writes one gossip watcher, in RUN and DEGRADED only, with an IPv6 fact as the address and empty annotations left out' do
      expect(gossip).to eq(
        [
          {
            'name' => 'register_port_1', 'type' => 'gossip', 'state_match' => ['RUN', 'DEGRADED'], 'interval' => '15s',
            'properties' => {
              'registration' => {
                'cluster' => 'weather', 'service' => 'weather', 'protocol' => 'tcp', 'ip' => '2001:db8::7', 'port' => 8080, 'priority' => 1
              },
            }
          },
        ],
      )
    end

    it 'withdraws the entries in maintenance (a drain watcher) and writes registrations.json with the default drain_time' do
      expect(machine['watchers'].find { |w| w['name'] == 'drain' }).to eq(exec_watcher('drain', 'MAINTENANCE', 'drain --no-wait weather', '1m'))
      expect(JSON.parse(HoistSpec.content(catalogue, "#{folder}/registrations.json"))).to eq(
        'drain_time' => '5s',
        'registrations' => [{ 'cluster' => 'weather', 'service' => 'weather', 'protocol' => 'tcp', 'ip' => '2001:db8::7', 'port' => 8080 }],
      )
    end

    context 'and without them' do
      let(:config) { { image: 'example/weather' } }

      it 'has no drain watcher, and registrations.json is absent' do
        expect(machine['watchers'].map { |w| w['name'] }).not_to include('drain')
        is_expected.to contain_file("#{folder}/registrations.json").with(ensure: 'absent')
      end
    end

    it 'leaves register_ports out of container.json, which hoist-cli reads strictly' do
      expect(container_json.keys).not_to include('register_ports')
      expect(HoistSpec.content(catalogue, "#{folder}/container.json")).not_to include('gossip', 'CHORIA_SERVICES', '2001:db8::7')
    end

    it 'validates against the Choria machine schema, with the gossip definition' do
      ok, out, = HoistSpec.validate_machines(catalogue)
      expect(ok).to be(true), out
    end

    context 'when the same cluster, protocol and service come twice' do
      let(:config) do
        { image: 'example/weather', register_ports: [{ 'service' => 'web', 'port' => 8080 }, { 'service' => 'web', 'port' => 8443, 'cluster' => 'weather' }] }
      end

      it { is_expected.to compile.and_raise_error(%r{Hoist::Container\[weather\]: register_ports has more than one entry for weather\.tcp\.web \(cluster\.protocol\.service\)}) }
    end

    context 'when the same service comes twice with another protocol' do
      let(:config) do
        { image: 'example/weather', register_ports: [{ 'service' => 'web', 'port' => 8080 }, { 'service' => 'web', 'port' => 8443, 'protocol' => 'https' }] }
      end

      it { is_expected.to compile.with_all_deps }
      it { expect(gossip.map { |w| w['properties']['registration']['protocol'] }).to eq(['tcp', 'https']) }
    end

    context 'when an entry has no ip and the node has no networking.ip fact' do
      let(:facts) { { networking: {} } }

      it { is_expected.to compile.and_raise_error(%r{Hoist::Container\[weather\]: register_ports\[0\] has no ip, and the node's networking.ip fact is not an IP address}) }
    end

    context 'when every entry has its ip, without a networking fact' do
      let(:facts) { {} }
      let(:config) { { image: 'example/weather', register_ports: [{ 'service' => 'weather', 'port' => 8080, 'ip' => '127.0.0.1' }] } }

      it { is_expected.to compile.with_all_deps }
    end
  end

  context 'with ensure absent' do
    let(:config) { { image: 'example/weather', ensure: 'absent' } }

    it { is_expected.to compile.with_all_deps }

    it 'removes the machine folder and writes nothing' do
      is_expected.to contain_hoist__machine('hoist_weather').with(ensure: 'absent')
      is_expected.to contain_file(folder).with(ensure: 'absent', recurse: true, force: true)
      is_expected.not_to contain_file("#{folder}/container.json")
      is_expected.not_to contain_file("#{folder}/machine.yaml")
    end
  end

  context 'when declared outside hoist::containers while hoist::purge is true' do
    let(:pre_condition) { 'include hoist' }
    let(:config) { { image: 'example/weather' } }

    it { is_expected.to compile.and_raise_error(%r{Hoist::Container\[weather\]: not in hoist::containers, so hoist::purge would remove it}) }
  end

  context 'with a bad name' do
    let(:title) { 'web.app' }
    let(:config) { { image: 'example/weather' } }

    it { is_expected.to compile.and_raise_error(%r{Hoist::Container\[web\.app\]: 'web\.app' is not a container name: a name is a letter followed by at least one more letter, digit, _ or -}) }
  end

  context 'with the reserved name purge' do
    let(:title) { 'purge' }
    let(:config) { { image: 'example/weather' } }

    it { is_expected.to compile.and_raise_error(%r{Hoist::Container\[purge\]: 'purge' is not a container name: .* and 'purge' is reserved}) }
  end

  {
    'a port 80:http' => [{ ports: ['80:http'] }, %r{Hoist::Container\[weather\]: parameter 'config' entry 'ports' index 0 expects a match for Hoist::Port}],
    'an environment entry without =' => [{ environment: ['WEATHER_API_KEY'] },
                                         %r{Hoist::Container\[weather\]: parameter 'config' entry 'environment' index 0 expects a match for Hoist::EnvVar}],
    'a relative volume source' => [{ volumes: ['logs:/logs'] },
                                   %r{Hoist::Container\[weather\]: parameter 'config' entry 'volumes' index 0 expects a match for Hoist::Volume}],
    'kv_interval 0s' => [{ kv_interval: '0s' }, %r{Hoist::Container\[weather\]: parameter 'config' entry 'kv_interval' expects a match for Hoist::Duration}],
    'a health_http off the loopback' => [{ health_http: 'http://10.0.0.5:8080/health' },
                                         %r{Hoist::Container\[weather\]: parameter 'config' entry 'health_http' expects a match for Hoist::HealthUrl}],
    'an https health_http' => [{ health_http: 'https://127.0.0.1:8443/health' },
                               %r{Hoist::Container\[weather\]: parameter 'config' entry 'health_http' expects a match for Hoist::HealthUrl}],
    'health_status 600' => [{ health_http: 'http://127.0.0.1:8080/', health_status: 600 },
                            %r{Hoist::Container\[weather\]: parameter 'config' entry 'health_status' expects}],
    'health_status without health_http' => [{ health_status: 200 },
                                            %r{Hoist::Container\[weather\]: health_status is set without health_http}],
    'health_tcp port 0' => [{ health_tcp: '0' }, %r{Hoist::Container\[weather\]: parameter 'config' entry 'health_tcp' expects a match for Hoist::HealthTcp}],
    'health_tcp port 70000' => [{ health_tcp: '127.0.0.1:70000' },
                                %r{Hoist::Container\[weather\]: parameter 'config' entry 'health_tcp' expects a match for Hoist::HealthTcp}],
    'an empty health_command' => [{ health_command: [] },
                                  %r{Hoist::Container\[weather\]:\n\s+parameter 'config' entry 'health_command' variant 0 expects a match for Pattern\[.*\], got Array\n\s+parameter 'config' entry 'health_command' variant 1 expects size to be at least 1}],
    'start_timeout 0s' => [{ start_timeout: '0s' }, %r{Hoist::Container\[weather\]: parameter 'config' entry 'start_timeout' expects a match for Hoist::Timeout}],
    'min_healthy_time 5' => [{ min_healthy_time: '5' },
                             %r{Hoist::Container\[weather\]: parameter 'config' entry 'min_healthy_time' expects a match for Hoist::Period}],
    'a register_ports service with a dot' => [{ register_ports: [{ 'service' => 'web.api', 'port' => 8080, 'ip' => '192.0.2.1' }] },
                                              %r{Hoist::Container\[weather\]: parameter 'config' entry 'register_ports' index 0 entry 'service' expects a match for Hoist::RegistrationName}],
    'a register_ports port 0' => [{ register_ports: [{ 'service' => 'web', 'port' => 0, 'ip' => '192.0.2.1' }] },
                                  %r{Hoist::Container\[weather\]: parameter 'config' entry 'register_ports' index 0 entry 'port' expects an Integer\[1, 65535\] value, got Integer\[0, 0\]}],
    'a register_ports port as a string' => [{ register_ports: [{ 'service' => 'web', 'port' => '8080', 'ip' => '192.0.2.1' }] },
                                            %r{Hoist::Container\[weather\]: parameter 'config' entry 'register_ports' index 0 entry 'port' expects an Integer value, got String}],
    'a register_ports ip that is a name' => [{ register_ports: [{ 'service' => 'web', 'port' => 8080, 'ip' => 'localhost' }] },
                                             %r{Hoist::Container\[weather\]: parameter 'config' entry 'register_ports' index 0 entry 'ip' expects a Stdlib::IP::Address::Nosubnet}],
    'a register_ports annotation that is not a string' => [{ register_ports: [{ 'service' => 'web', 'port' => 8080, 'ip' => '192.0.2.1', 'annotations' => { 'scrape' => true } }] },
                                                           %r{Hoist::Container\[weather\]: parameter 'config' entry 'register_ports' index 0 entry 'annotations' entry 'scrape' expects a String value, got Boolean}],
    'a register_ports entry without a service' => [{ register_ports: [{ 'port' => 8080, 'ip' => '192.0.2.1' }] },
                                                   %r{Hoist::Container\[weather\]: parameter 'config' entry 'register_ports' index 0 expects a value for key 'service'}],
    'a register_ports entry with address instead of ip' => [{ register_ports: [{ 'service' => 'web', 'port' => 8080, 'address' => '192.0.2.1' }] },
                                                            %r{Hoist::Container\[weather\]: parameter 'config' entry 'register_ports' index 0 unrecognized key 'address'}],
    'an unknown key' => [{ colour: 'blue' }, %r{Hoist::Container\[weather\]: parameter 'config' unrecognized key 'colour'}],
    'no image' => [{ image: :undef, image_tag: 'v1' }, %r{Hoist::Container\[weather\]: parameter 'config' expects a value for key 'image'}],
  }.each do |what, (bad, message)|
    context "with #{what}" do
      let(:config) { { image: 'example/weather' }.merge(bad).compact.reject { |_, v| v == :undef } }

      it { is_expected.to compile.and_raise_error(message) }
    end
  end
end
