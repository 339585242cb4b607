# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::nagios_watcher' do
  let(:cli) do
    { 'cli_path' => '/usr/local/bin/hoist-cli', 'jar_path' => '/usr/local/lib/hoist/hoist-cli.jar', 'docker_host' => 'unix:///var/run/docker.sock' }
  end

  it 'runs hoist-cli through env with DOCKER_HOST and HOIST_CLI_JAR, since the nagios watcher passes no environment' do
    is_expected.to run.with_params(cli, 'check', ['RUN'], ['check', '--nagios', 'weather'], '60s', '30s').and_return(
      'name' => 'check', 'type' => 'nagios', 'state_match' => ['RUN'], 'interval' => '30s',
      'properties' => {
        'plugin' => '/usr/bin/env DOCKER_HOST=unix:///var/run/docker.sock HOIST_CLI_JAR=/usr/local/lib/hoist/hoist-cli.jar ' \
                    '/usr/local/bin/hoist-cli check --nagios weather',
        'timeout' => '60s',
      },
    )
  end

  it 'adds HOIST_JAVA, the KV settings and the identity when set (check writes the status report), never registry_auth' do
    all = cli.merge('java_path' => '/opt/java/bin/java', 'kv_server' => 'nats://broker:4222', 'kv_config' => '/etc/choria/server.conf',
                    'identity' => 'n1.example', 'registry_auth' => '/etc/hoist/auth.json')
    plugin = subject.execute(all, 'check', ['RUN'], ['check', '--nagios', 'weather'], '60s', '30s')['properties']['plugin']
    expect(plugin).to eq('/usr/bin/env DOCKER_HOST=unix:///var/run/docker.sock HOIST_CLI_JAR=/usr/local/lib/hoist/hoist-cli.jar ' \
                         'HOIST_JAVA=/opt/java/bin/java HOIST_NATS_URL=nats://broker:4222 HOIST_CHORIA_CONFIG=/etc/choria/server.conf ' \
                         'HOIST_IDENTITY=n1.example /usr/local/bin/hoist-cli check --nagios weather')
  end

  it 'refuses a NATS URL with credentials, which would be on a command line' do
    is_expected.to run.with_params(cli.merge('kv_server' => 'nats://u:secret@broker:4222'), 'check', ['RUN'], ['check', '--nagios', 'weather'],
                                   '60s', '30s')
                      .and_raise_error(%r{kv_server holds credentials})
  end

  it 'refuses a setting that the command line could not carry as one word, naming it' do
    is_expected.to run.with_params(cli.merge('jar_path' => '/opt/my jars/hoist-cli.jar'), 'check', ['RUN'], ['check', '--nagios', 'weather'], '60s', '30s')
                      .and_raise_error(%r{jar_path '/opt/my jars/hoist-cli.jar' cannot be passed to Choria's nagios watcher})
  end
end
