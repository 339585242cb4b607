# frozen_string_literal: true

require 'spec_helper'

describe 'hoist' do
  let(:store) { '/etc/choria/machine' }
  let(:purge_folder) { "#{store}/hoist_purge" }
  let(:managed) { JSON.parse(HoistSpec.content(catalogue, "#{purge_folder}/managed.json")) }
  let(:cli_env) { ['DOCKER_HOST=unix:///var/run/docker.sock', 'HOIST_CLI_JAR=/usr/local/lib/hoist/hoist-cli.jar'] }

  # Every key of Hoist::ContainerConfig set.
  let(:rich) do
    {
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
      'restart_files' => ['/etc/weather/weather.conf'],
    }
  end

  context 'with defaults' do
    it { is_expected.to compile.with_all_deps }

    it 'routes to hoist::cli and hoist::purge, in that order' do
      is_expected.to contain_class('hoist::cli').that_comes_before('Class[hoist::purge]')
      is_expected.to contain_class('hoist::purge')
    end

    it 'installs the hoist-cli launcher and jar' do
      is_expected.to contain_file('/usr/local/bin/hoist-cli').with(
        ensure: 'file', owner: 'root', group: 'root', mode: '0755', source: 'puppet:///modules/hoist/hoist-cli',
      )
      is_expected.to contain_file('/usr/local/lib/hoist').with(ensure: 'directory', owner: 'root', group: 'root', mode: '0755')
      is_expected.to contain_file('/usr/local/lib/hoist/hoist-cli.jar').with(
        ensure: 'file', owner: 'root', group: 'root', mode: '0644', source: 'puppet:///modules/hoist/hoist-cli.jar',
      )
    end

    it 'writes an empty managed list and the purge machine' do
      is_expected.to contain_file(purge_folder).with(ensure: 'directory', owner: 'root', group: 'root', mode: '0755')
      is_expected.to contain_file("#{purge_folder}/managed.json").with(owner: 'root', group: 'root', mode: '0644')
        .that_comes_before("File[#{purge_folder}/machine.yaml]")
      is_expected.to contain_file("#{purge_folder}/machine.yaml").with(owner: 'root', group: 'root', mode: '0644')
      expect(managed).to eq('containers' => [])
      expect(YAML.safe_load(HoistSpec.content(catalogue, "#{purge_folder}/machine.yaml"))).to eq(
        'name' => 'hoist_purge',
        'version' => '1.0.0',
        'initial_state' => 'RUN',
        'transitions' => [
          { 'name' => 'maintenance', 'from' => ['RUN'], 'destination' => 'MAINTENANCE', 'description' => 'Pause purging' },
          { 'name' => 'resume', 'from' => ['MAINTENANCE'], 'destination' => 'RUN', 'description' => 'Purge again' },
        ],
        'watchers' => [
          {
            'name' => 'purge',
            'type' => 'exec',
            'state_match' => ['RUN'],
            'interval' => '1m',
            'properties' => {
              'command' => "/usr/local/bin/hoist-cli purge --store #{store}",
              'timeout' => '10m',
              'environment' => cli_env,
              'suppress_success_announce' => true,
            },
          },
        ],
      )
    end

    it 'declares the purge machine through hoist::machine, with managed.json as its file' do
      is_expected.to contain_hoist__machine('hoist_purge').with(
        ensure: 'present', store: store, initial_state: 'RUN', files: { 'managed.json' => "{\n  \"containers\": [\n\n  ]\n}\n" },
      )
    end

    it 'declares no container' do
      expect(catalogue.resources.select { |r| r.type == 'Hoist::Container' }).to be_empty
    end
  end

  context 'with containers' do
    let(:params) do
      {
        containers: {
          'weather' => rich,
          'news' => { 'image' => 'example/news' },
          'archive' => { 'image' => 'example/archive', 'ensure' => 'absent' },
          'alerts' => { 'image' => 'example/alerts', 'ensure' => 'present' },
        },
        purge_interval: '5m',
      }
    end

    it { is_expected.to compile.with_all_deps }

    it 'declares one hoist::container per entry, with its keys, after the purge list' do
      is_expected.to contain_hoist__container('weather').with(config: rich).that_requires('Class[hoist::purge]')
      is_expected.to contain_hoist__container('news').with(config: { 'image' => 'example/news' }).that_requires('Class[hoist::purge]')
      is_expected.to contain_hoist__container('archive').with(config: { 'image' => 'example/archive', 'ensure' => 'absent' })
      is_expected.to contain_file("#{store}/hoist_weather/container.json")
      is_expected.to contain_file("#{store}/hoist_news/machine.yaml")
      is_expected.to contain_file("#{store}/hoist_archive").with(ensure: 'absent', recurse: true, force: true)
    end

    it 'lists the present containers, sorted, as managed' do
      expect(managed).to eq('containers' => ['alerts', 'news', 'weather'])
    end

    it 'runs the purge machine every purge_interval' do
      machine = YAML.safe_load(HoistSpec.content(catalogue, "#{purge_folder}/machine.yaml"))
      expect(machine['watchers'].first['interval']).to eq('5m')
    end

    it 'writes machines that all validate against the Choria machine schema' do
      ok, out, count = HoistSpec.validate_machines(catalogue)
      expect(count).to eq(4) # weather, news, alerts and hoist_purge
      expect(ok).to be(true), out
    end
  end

  context 'with registry_auth' do
    let(:params) do
      {
        registry_auth: sensitive('registry.example.com:5000' => { 'username' => 'deploy', 'password' => 'pw-not-shown' },
                                 'docker.io' => { 'auth' => 'ZGVwbG95OnMzY3JldA==' }),
        containers: { 'weather' => { 'image' => 'registry.example.com:5000/example/weather' } },
      }
    end

    it { is_expected.to compile.with_all_deps }

    it 'writes the credentials file in Docker\'s config.json format, root 0600, Sensitive, before the containers' do
      is_expected.to contain_file('/etc/hoist').with(ensure: 'directory', owner: 'root', group: 'root', mode: '0755')
      is_expected.to contain_file('/etc/hoist/registry-auth.json').with(ensure: 'file', owner: 'root', group: 'root', mode: '0600', show_diff: false)
      is_expected.to contain_class('hoist::registry').that_comes_before('Hoist::Container[weather]')
      file = catalogue.resource('File', '/etc/hoist/registry-auth.json')
      expect(file.sensitive_parameters).to include(:content)
      expect(JSON.parse(HoistSpec.content(catalogue, '/etc/hoist/registry-auth.json'))).to eq(
        'auths' => {
          'registry.example.com:5000' => { 'username' => 'deploy', 'password' => 'pw-not-shown' },
          'docker.io' => { 'auth' => 'ZGVwbG95OnMzY3JldA==' },
        },
      )
    end

    it 'passes no HOIST_REGISTRY_AUTH for the default path, which is hoist-cli\'s own default' do
      java = File.read(File.join(HoistSpec::ROOT, 'hoist-cli/src/main/java/io/choria/hoist/registry/RegistryAuth.java'))
      expect(java[%r{DEFAULT_FILE = "([^"]+)"}, 1]).to eq(catalogue.resource('Class', 'Hoist')[:registry_auth_file])
      watchers = YAML.safe_load(HoistSpec.content(catalogue, "#{store}/hoist_weather/machine.yaml"))['watchers'].select { |w| w['type'] == 'exec' }
      watchers.each { |w| expect(w['properties']['environment']).to eq(cli_env) }
    end
  end

  context 'with registry_auth from Hiera (plain data, converted to Sensitive by lookup_options)' do
    let(:node) { 'registry.example.com' }

    it { is_expected.to compile.with_all_deps }

    it 'writes the file with its content Sensitive' do
      file = catalogue.resource('File', '/etc/hoist/registry-auth.json')
      expect(file.sensitive_parameters).to include(:content)
      expect(JSON.parse(HoistSpec.content(catalogue, '/etc/hoist/registry-auth.json'))).to eq(
        'auths' => { 'registry.example.com:5000' => { 'username' => 'deploy', 'password' => 'pw-from-hiera' } },
      )
    end
  end

  context 'with registry_auth unset' do
    it 'leaves the credentials file alone (the operator may provide it)' do
      is_expected.not_to contain_file('/etc/hoist/registry-auth.json')
    end
  end

  context 'with a registry_auth_file of its own' do
    let(:params) { { registry_auth_file: '/srv/secrets/registry.json', containers: { 'weather' => { 'image' => 'example/weather' } } } }

    it 'passes it to every exec watcher as HOIST_REGISTRY_AUTH' do
      ["#{store}/hoist_weather/machine.yaml", "#{purge_folder}/machine.yaml"].each do |path|
        YAML.safe_load(HoistSpec.content(catalogue, path))['watchers'].select { |w| w['type'] == 'exec' }.each do |w|
          expect(w['properties']['environment']).to eq(cli_env + ['HOIST_REGISTRY_AUTH=/srv/secrets/registry.json'])
        end
      end
    end
  end

  {
    'a registry login without a password' => [{ 'r.example.com' => { 'username' => 'u' } }, %r{registry_auth}],
    'a registry login whose auth is not base64' => [{ 'r.example.com' => { 'auth' => 'not base64!' } }, %r{registry_auth}],
  }.each do |what, (bad, message)|
    context "with #{what}" do
      let(:params) { { registry_auth: sensitive(bad) } }

      it { is_expected.to compile.and_raise_error(message) }
    end
  end

  context 'with purge false' do
    let(:params) { { purge: false, containers: { 'weather' => { 'image' => 'example/weather' } } } }

    it { is_expected.to compile.with_all_deps }

    it 'removes the purge machine folder' do
      is_expected.to contain_hoist__machine('hoist_purge').with(ensure: 'absent')
      is_expected.to contain_file(purge_folder).with(ensure: 'absent', recurse: true, force: true)
      is_expected.not_to contain_file("#{purge_folder}/managed.json")
      is_expected.not_to contain_file("#{purge_folder}/machine.yaml")
    end
  end

  context 'with manage_cli false' do
    let(:params) { { manage_cli: false } }

    it { is_expected.to compile.with_all_deps }

    it 'leaves hoist-cli to the operator' do
      is_expected.not_to contain_file('/usr/local/bin/hoist-cli')
      is_expected.not_to contain_file('/usr/local/lib/hoist/hoist-cli.jar')
    end
  end

  context 'with a jar source and paths of its own' do
    let(:params) do
      { cli_path: '/opt/hoist/bin/hoist-cli', jar_path: '/opt/hoist/lib/hoist-cli.jar', jar_source: '/srv/build/hoist-cli.jar' }
    end

    it 'installs the jar from there, creating its folder' do
      is_expected.to contain_file('/opt/hoist/bin/hoist-cli').with(mode: '0755')
      is_expected.to contain_file('/opt/hoist/lib').with(ensure: 'directory')
      is_expected.to contain_file('/opt/hoist/lib/hoist-cli.jar').with(source: '/srv/build/hoist-cli.jar', mode: '0644')
    end
  end

  context 'with kv_config only (a Choria node)' do
    let(:params) { { kv_config: '/etc/choria/server.conf', containers: { 'weather' => { 'image' => 'example/weather', 'kv_update' => true } } } }

    it { is_expected.to compile.with_all_deps }

    it 'passes HOIST_CHORIA_CONFIG, and no HOIST_NATS_URL, to every exec watcher, the purge machine\'s too' do
      ["#{store}/hoist_weather/machine.yaml", "#{purge_folder}/machine.yaml"].each do |path|
        watchers = YAML.safe_load(HoistSpec.content(catalogue, path))['watchers'].select { |w| w['type'] == 'exec' }
        expect(watchers).not_to be_empty
        watchers.each do |w|
          expect(w['properties']['environment']).to eq(cli_env + ['HOIST_CHORIA_CONFIG=/etc/choria/server.conf'])
        end
      end
    end
  end

  context 'with kv_server only' do
    let(:params) { { kv_server: 'nats://broker1.example.net:4222' } }

    it 'passes HOIST_NATS_URL to the purge machine' do
      machine = YAML.safe_load(HoistSpec.content(catalogue, "#{purge_folder}/machine.yaml"))
      expect(machine['watchers'].first['properties']['environment']).to eq(cli_env + ['HOIST_NATS_URL=nats://broker1.example.net:4222'])
    end
  end

  {
    'a kv_server without a scheme' => [{ kv_server: 'broker1:4222' }, %r{Class\[Hoist\]: parameter 'kv_server' expects a match for Hoist::NatsUrls}],
    'a kv_server with a password' => [{ kv_server: 'nats://hoist:secret@broker1:4222' },
                                      %r{Class\[Hoist\]: parameter 'kv_server' expects a match for Hoist::NatsUrls}],
    'a relative kv_config' => [{ kv_config: 'choria/server.conf' }, %r{Class\[Hoist\]: parameter 'kv_config' expects}],
  }.each do |what, (bad, message)|
    context "with #{what}" do
      let(:params) { bad }

      it { is_expected.to compile.and_raise_error(message) }
    end
  end

  context 'with containers from two Hiera levels' do
    let(:node) { 'merged.example.com' }

    it { is_expected.to compile.with_all_deps }

    it 'deep merges hoist::containers' do
      is_expected.to contain_hoist__container('weather').with(
        config: {
          'image' => 'example/weather', 'image_tag' => 'v2', 'syslog' => true, 'ports' => ['9090:8080'],
          'environment' => ['MODE=production', 'WEATHER_API_KEY=c2..4a', 'MODE=staging', 'DEBUG=1']
        },
      )
      is_expected.to contain_hoist__container('news').with(config: { 'image' => 'example/news' })
    end

    it 'lets the more specific level win for an environment KEY set at both' do
      spec = JSON.parse(HoistSpec.content(catalogue, "#{store}/hoist_weather/container.json"))
      expect(spec['environment']).to eq(['MODE=staging', 'WEATHER_API_KEY=c2..4a', 'DEBUG=1'])
    end
  end

  describe 'the schema validator' do
    let(:params) { { containers: { 'weather' => rich } } }

    it 'refuses a machine the schema refuses, so that its passes mean something' do
      machine = YAML.safe_load(HoistSpec.content(catalogue, "#{store}/hoist_weather/machine.yaml"))
      machine['watchers'].first['properties']['timeout'] = '500ms'
      Dir.mktmpdir('hoist-bad-machine') do |dir|
        path = File.join(dir, 'machine.yaml')
        File.write(path, machine.to_yaml)
        out, status = Open3.capture2e(HoistSpec::VALIDATOR, path)
        expect(status.success?).to be(false)
        expect(out).to include("watchers/0/properties/timeout: '500ms' does not match")
      end
    end

    it 'fails when the schema cannot be found, rather than skipping' do
      out, status = Open3.capture2e(HoistSpec::VALIDATOR, '--schema', '/nonexistent/machine-manifest-v1.json', __FILE__)
      expect(status.exitstatus).to eq(2)
      expect(out).to include('schema not found')
    end
  end

  # Bad Hiera data fails the catalogue with a message that names the container and the field.
  {
    'a name with a dot' => [{ 'web.app' => { 'image' => 'example/web' } },
                            %r{Class\[Hoist\]: parameter 'containers' key of entry 'web\.app' expects a match for Hoist::Name}],
    'a name with a space' => [{ 'web app' => { 'image' => 'example/web' } },
                              %r{Class\[Hoist\]: parameter 'containers' key of entry 'web app' expects a match for Hoist::Name}],
    'the reserved name purge' => [{ 'purge' => { 'image' => 'example/web' } },
                                  %r{Class\[Hoist\]: parameter 'containers' key of entry 'purge' expects a match for Hoist::Name}],
    'a port 80:http' => [{ 'weather' => { 'image' => 'example/weather', 'ports' => ['80:http'] } },
                         %r{Class\[Hoist\]: parameter 'containers' entry 'weather' entry 'ports' index 0 expects a match for Hoist::Port = Pattern.*got '80:http'}],
    'an environment entry without =' => [
      { 'weather' => { 'image' => 'example/weather', 'environment' => ['MODE=prod', 'WEATHER_API_KEY'] } },
      %r{Class\[Hoist\]: parameter 'containers' entry 'weather' entry 'environment' index 1 expects a match for Hoist::EnvVar = Pattern.*got 'WEATHER_API_KEY'},
    ],
    'a relative volume source' => [{ 'weather' => { 'image' => 'example/weather', 'volumes' => ['logs:/logs'] } },
                                   %r{Class\[Hoist\]: parameter 'containers' entry 'weather' entry 'volumes' index 0 expects a match for Hoist::Volume = Pattern.*got 'logs:/logs'}],
    'kv_interval 0' => [{ 'weather' => { 'image' => 'example/weather', 'kv_interval' => 0 } },
                        %r{Class\[Hoist\]: parameter 'containers' entry 'weather' entry 'kv_interval' expects a match for Hoist::Duration = Pattern.*got Integer}],
    'kv_interval 0s' => [{ 'weather' => { 'image' => 'example/weather', 'kv_interval' => '0s' } },
                         %r{Class\[Hoist\]: parameter 'containers' entry 'weather' entry 'kv_interval' expects a match for Hoist::Duration = Pattern.*got '0s'}],
    'an unknown key' => [{ 'weather' => { 'image' => 'example/weather', 'colour' => 'blue' } },
                         %r{Class\[Hoist\]: parameter 'containers' entry 'weather' unrecognized key 'colour'}],
    'no image' => [{ 'weather' => { 'image_tag' => 'v1' } },
                   %r{Class\[Hoist\]: parameter 'containers' entry 'weather' expects a value for key 'image'}],
    'an unquoted 22:22 port (YAML 1.1 base 60)' => [{ 'weather' => { 'image' => 'example/weather', 'ports' => YAML.safe_load('[22:22]') } },
                                                   %r{entry 'weather' entry 'ports' index 0 expects a match for Hoist::Port = Pattern.*got Integer}],
  }.each do |what, (containers, message)|
    context "with #{what}" do
      let(:params) { { containers: containers } }

      it { is_expected.to compile.and_raise_error(message) }
    end
  end
end
