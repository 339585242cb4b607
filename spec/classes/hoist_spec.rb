# frozen_string_literal: true

require 'spec_helper'

describe 'hoist' do
  let(:store) { '/etc/choria/machine' }
  let(:purge_folder) { "#{store}/hoist_purge" }
  let(:managed) { JSON.parse(HoistSpec.content(catalogue, "#{purge_folder}/managed.json")) }
  let(:settings_file) { '/etc/hoist/hoist-cli.conf' }
  # The node's settings file, KEY=VALUE lines without its comments.
  let(:settings) { HoistSpec.content(catalogue, settings_file).lines.map(&:chomp).grep_v(%r{\A#}) }
  let(:default_settings) do
    ['DOCKER_HOST=unix:///var/run/docker.sock', 'HOIST_CLI_JAR=/usr/local/lib/hoist/hoist-cli.jar', 'HOIST_REGISTRY_AUTH=/etc/hoist/registry-auth.json']
  end
  let(:launcher) { File.read(File.join(HoistSpec::ROOT, 'files', 'hoist-cli')) }

  # Every exec watcher of every machine in the catalogue.
  def exec_watchers
    catalogue.resources.select { |r| r.type == 'File' && r.title.end_with?('/machine.yaml') }.flat_map do |r|
      YAML.safe_load(HoistSpec.content(catalogue, r.title))['watchers'].select { |w| w['type'] == 'exec' }
    end
  end

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

    it 'installs the hoist-cli launcher: files/hoist-cli, headed by the path of the settings file' do
      is_expected.to contain_file('/usr/local/bin/hoist-cli').with(ensure: 'file', owner: 'root', group: 'root', mode: '0755')
      text = HoistSpec.content(catalogue, '/usr/local/bin/hoist-cli')
      head = text.lines[0, 4].join
      expect(head).to start_with("#!/bin/sh\n# The hoist-cli launcher as Puppet installs it")
      expect(head).to end_with(%(: "${HOIST_SETTINGS:=#{settings_file}}"\n))
      expect(launcher).to start_with("#!/bin/sh\n")
      expect(text.lines.drop(4).join).to eq(launcher.lines.drop(1).join)
    end

    it "writes the node's settings once, root 0644, before the machines: the Docker endpoint, the jar, the credentials file's path" do
      is_expected.to contain_file('/etc/hoist').with(ensure: 'directory', owner: 'root', group: 'root', mode: '0755')
      is_expected.to contain_file(settings_file).with(ensure: 'file', owner: 'root', group: 'root', mode: '0644').that_requires('File[/etc/hoist]')
      is_expected.to contain_class('hoist::cli').that_comes_before('Class[hoist::purge]')
      expect(settings).to eq(default_settings)
      expect(HoistSpec.content(catalogue, settings_file)).to start_with("# hoist-cli's settings on this node, written by Puppet")
    end

    it 'names the settings file in the launcher the launcher itself reads by default (/etc/hoist/hoist-cli.conf)' do
      expect(launcher).to include('settings="${HOIST_SETTINGS:-/etc/hoist/hoist-cli.conf}"')
    end

    it 'reads in the launcher exactly the keys the settings file can hold' do
      template = File.read(File.join(HoistSpec::ROOT, 'templates', 'hoist-cli.conf.epp'))
      expect(launcher.scan(%r{^      ([A-Z_]+)=\*\)}).flatten.sort).to eq(template.scan(%r{^([A-Z_]+)=<%=}).flatten.sort)
    end

    it 'installs the hoist-cli jar' do
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

    it 'names the default path, hoist-cli\'s own default, in the settings file, and in no machine' do
      java = File.read(File.join(HoistSpec::ROOT, 'hoist-cli/src/main/java/io/choria/hoist/registry/RegistryAuth.java'))
      expect(java[%r{DEFAULT_FILE = "([^"]+)"}, 1]).to eq(catalogue.resource('Class', 'Hoist')[:registry_auth_file])
      expect(settings).to include('HOIST_REGISTRY_AUTH=/etc/hoist/registry-auth.json')
      expect(exec_watchers).not_to be_empty
      exec_watchers.each { |w| expect(w['properties']).not_to have_key('environment') }
    end

    it 'writes no credential into the settings file' do
      expect(HoistSpec.content(catalogue, settings_file)).not_to match(%r{deploy|pw-not-shown|ZGVwbG95})
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

    it 'writes it into the settings file as HOIST_REGISTRY_AUTH, and into no machine' do
      expect(settings).to include('HOIST_REGISTRY_AUTH=/srv/secrets/registry.json')
      expect(exec_watchers.size).to eq(6) # five of weather's, one of hoist_purge's
      exec_watchers.each { |w| expect(w['properties']).not_to have_key('environment') }
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

    it "still writes the node's settings, which the operator's launcher (files/hoist-cli) reads" do
      expect(settings).to eq(default_settings)
    end
  end

  context 'with a jar source and paths of its own' do
    let(:params) do
      { cli_path: '/opt/hoist/bin/hoist-cli', jar_path: '/opt/hoist/lib/hoist-cli.jar', jar_source: '/srv/build/hoist-cli.jar' }
    end

    it 'installs the jar from there, creating its folder' do
      is_expected.to contain_file('/opt/hoist/bin/hoist-cli').with(mode: '0755')
      expect(settings).to include('HOIST_CLI_JAR=/opt/hoist/lib/hoist-cli.jar')
      is_expected.to contain_file('/opt/hoist/lib').with(ensure: 'directory')
      is_expected.to contain_file('/opt/hoist/lib/hoist-cli.jar').with(source: '/srv/build/hoist-cli.jar', mode: '0644')
    end
  end

  context 'with kv_config only (a Choria node)' do
    let(:params) { { kv_config: '/etc/choria/server.conf', containers: { 'weather' => { 'image' => 'example/weather', 'kv_update' => true } } } }

    it { is_expected.to compile.with_all_deps }

    it 'writes HOIST_CHORIA_CONFIG, and no HOIST_NATS_URL, into the settings file, and no environment into any watcher' do
      expect(settings).to eq(default_settings + ['HOIST_CHORIA_CONFIG=/etc/choria/server.conf'])
      expect(exec_watchers.size).to eq(6)
      exec_watchers.each { |w| expect(w['properties']).not_to have_key('environment') }
    end
  end

  context 'with every node setting set' do
    let(:params) do
      {
        docker_host: 'tcp://127.0.0.1:2375', jar_path: '/opt/my jars/hoist-cli.jar', java_path: '/opt/java/bin/java',
        kv_server: 'nats://broker1:4222,nats://broker2:4222', kv_config: '/etc/choria/server.conf', identity: 'n1.example',
        registry_auth_file: '/srv/secrets/registry.json', containers: { 'weather' => { 'image' => 'example/weather' } }
      }
    end

    it { is_expected.to compile.with_all_deps }

    it 'writes each into the settings file once, one KEY=VALUE line each, a value with a blank whole' do
      expect(settings).to eq(
        [
          'DOCKER_HOST=tcp://127.0.0.1:2375', 'HOIST_CLI_JAR=/opt/my jars/hoist-cli.jar', 'HOIST_REGISTRY_AUTH=/srv/secrets/registry.json',
          'HOIST_JAVA=/opt/java/bin/java', 'HOIST_NATS_URL=nats://broker1:4222,nats://broker2:4222',
          'HOIST_CHORIA_CONFIG=/etc/choria/server.conf', 'HOIST_IDENTITY=n1.example'
        ],
      )
    end

    it 'writes none of them into a machine' do
      exec_watchers.each { |w| expect(w['properties']).not_to have_key('environment') }
      ["#{store}/hoist_weather/machine.yaml", "#{purge_folder}/machine.yaml"].each do |path|
        expect(HoistSpec.content(catalogue, path)).not_to match(%r{DOCKER_HOST|HOIST_[A-Z]|2375|/opt/|/srv/|broker|n1\.example})
      end
    end
  end

  context 'with a settings_file of its own' do
    let(:params) { { settings_file: '/srv/hoist/etc/node.conf' } }

    it { is_expected.to compile.with_all_deps }

    it 'writes it there, creating its folder, and names it in the launcher' do
      is_expected.to contain_file('/srv/hoist/etc').with(ensure: 'directory', owner: 'root', group: 'root', mode: '0755')
      is_expected.to contain_file('/srv/hoist/etc/node.conf').with(mode: '0644')
      is_expected.not_to contain_file('/etc/hoist/hoist-cli.conf')
      expect(HoistSpec.content(catalogue, '/usr/local/bin/hoist-cli').lines[3]).to eq(%(: "${HOIST_SETTINGS:=/srv/hoist/etc/node.conf}"\n))
    end
  end

  context 'with a settings_file beside the jar' do
    let(:params) { { settings_file: '/usr/local/lib/hoist/hoist-cli.conf' } }

    it { is_expected.to compile.with_all_deps }
  end

  context 'with kv_server only' do
    let(:params) { { kv_server: 'nats://broker1.example.net:4222' } }

    it 'writes HOIST_NATS_URL into the settings file' do
      expect(settings).to eq(default_settings + ['HOIST_NATS_URL=nats://broker1.example.net:4222'])
    end
  end

  {
    'a kv_server without a scheme' => [{ kv_server: 'broker1:4222' }, %r{Class\[Hoist\]: parameter 'kv_server' expects a match for Hoist::NatsUrls}],
    'a kv_server with a password' => [{ kv_server: 'nats://hoist:secret@broker1:4222' },
                                      %r{Class\[Hoist\]: parameter 'kv_server' expects a match for Hoist::NatsUrls}],
    'a relative kv_config' => [{ kv_config: 'choria/server.conf' }, %r{Class\[Hoist\]: parameter 'kv_config' expects}],
    'a settings_file the launcher\'s shell would read' => [{ settings_file: '/etc/hoist/$(id).conf' },
                                                      %r{Class\[Hoist\]: parameter 'settings_file' expects a match for Hoist::CommandPath}],
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
