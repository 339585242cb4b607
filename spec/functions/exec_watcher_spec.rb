# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::exec_watcher' do
  let(:cli) do
    { 'cli_path' => '/usr/local/bin/hoist-cli', 'jar_path' => '/usr/local/lib/hoist/hoist-cli.jar', 'docker_host' => 'unix:///var/run/docker.sock' }
  end
  let(:all) do
    cli.merge('java_path' => '/opt/java/bin/java', 'kv_server' => 'nats://broker1:4222,nats://broker2:4222', 'kv_config' => '/etc/choria/server.conf')
  end
  let(:base_env) { ['DOCKER_HOST=unix:///var/run/docker.sock', 'HOIST_CLI_JAR=/usr/local/lib/hoist/hoist-cli.jar'] }

  it 'calls hoist-cli by its path, with its arguments, the timeout and DOCKER_HOST and HOIST_CLI_JAR only' do
    is_expected.to run.with_params(cli, 'check', ['RUN'], ['check', 'weather'], '60s').and_return(
      'name' => 'check', 'type' => 'exec', 'state_match' => ['RUN'],
      'properties' => { 'command' => '/usr/local/bin/hoist-cli check weather', 'timeout' => '60s', 'environment' => base_env },
    )
  end

  it 'adds HOIST_JAVA, HOIST_NATS_URL and HOIST_CHORIA_CONFIG, in that order, when they are set' do
    is_expected.to run.with_params(all, 'check', ['RUN'], ['check', 'weather'], '60s').and_return(
      'name' => 'check', 'type' => 'exec', 'state_match' => ['RUN'],
      'properties' => {
        'command' => '/usr/local/bin/hoist-cli check weather', 'timeout' => '60s',
        'environment' => base_env + [
          'HOIST_JAVA=/opt/java/bin/java', 'HOIST_NATS_URL=nats://broker1:4222,nats://broker2:4222', 'HOIST_CHORIA_CONFIG=/etc/choria/server.conf'
        ]
      },
    )
  end

  it 'adds HOIST_IDENTITY last when identity is set' do
    result = subject.execute(all.merge('identity' => 'node1.example'), 'check', ['RUN'], ['check', 'weather'], '60s')
    expect(result['properties']['environment'].last).to eq('HOIST_IDENTITY=node1.example')
  end

  it 'leaves out a setting that is undef, as class hoist passes an unset one' do
    result = subject.execute(cli.merge('java_path' => nil, 'kv_server' => nil, 'kv_config' => '/etc/choria/server.conf'),
                             'check', ['RUN'], ['check', 'weather'], '60s')
    expect(result['properties']['environment']).to eq(base_env + ['HOIST_CHORIA_CONFIG=/etc/choria/server.conf'])
  end

  it 'merges more watcher keys and exec properties, leaving out undef values' do
    is_expected.to run.with_params(
      cli, 'remediate', ['REMEDIATE'], ['start', '--if-needed', 'weather'], '300s',
      { 'interval' => '30s', 'success_transition' => 'started', 'fail_transition' => nil },
      { 'governor' => nil, 'suppress_success_announce' => true },
    ).and_return(
      'name' => 'remediate', 'type' => 'exec', 'state_match' => ['REMEDIATE'], 'interval' => '30s', 'success_transition' => 'started',
      'properties' => {
        'command' => '/usr/local/bin/hoist-cli start --if-needed weather', 'timeout' => '300s', 'environment' => base_env,
        'suppress_success_announce' => true
      },
    )
  end

  it 'reads nothing from class hoist: it runs with no hoist class in the catalogue' do
    expect(catalogue.resource('Class', 'hoist')).to be_nil
    expect(subject.execute(cli.merge('cli_path' => '/opt/hoist/bin/hoist-cli'), 'stop', ['STOP'], ['stop', 'weather'], '70s')['properties']['command'])
      .to eq('/opt/hoist/bin/hoist-cli stop weather')
  end

  {
    'no jar_path' => [->(c) { c.reject { |k, _| k == 'jar_path' } }, %r{parameter 'cli' expects a value for key 'jar_path'}],
    'a cli_path with a space' => [->(c) { c.merge('cli_path' => '/opt/my tools/hoist-cli') }, %r{parameter 'cli' entry 'cli_path' expects a match for Hoist::CommandPath}],
    'a relative cli_path' => [->(c) { c.merge('cli_path' => 'hoist-cli') }, %r{parameter 'cli' entry 'cli_path' expects a match for Hoist::CommandPath}],
    'a kv_server with a password' => [->(c) { c.merge('kv_server' => 'nats://u:p@broker1:4222') }, %r{parameter 'cli' entry 'kv_server' expects}],
    'an unknown setting' => [->(c) { c.merge('docker_tls' => true) }, %r{parameter 'cli' unrecognized key 'docker_tls'}],
  }.each do |what, (change, message)|
    it "refuses a cli with #{what}" do
      is_expected.to run.with_params(change.call(cli), 'check', ['RUN'], ['check', 'weather'], '60s').and_raise_error(message)
    end
  end

  {
    'an argument with a space' => [['check', 'my weather'], %r{parameter 'arguments' index 1 expects a match}],
    'an argument with a quote' => [['check', "weather'"], %r{parameter 'arguments' index 1 expects a match}],
    'an argument with template braces' => [['check', '{{weather}}'], %r{parameter 'arguments' index 1 expects a match}],
    'no arguments' => [[], %r{parameter 'arguments' expects size to be at least 1}],
  }.each do |what, (arguments, message)|
    it "refuses #{what}, which Choria would split or expand" do
      is_expected.to run.with_params(cli, 'check', ['RUN'], arguments, '60s').and_raise_error(message)
    end
  end

  it { is_expected.to run.with_params(cli, 'check', ['RUN'], ['check', 'weather'], '500ms').and_raise_error(%r{parameter 'timeout' expects a match for Hoist::Duration}) }
  it { is_expected.to run.with_params(cli, 'check.1', ['RUN'], ['check', 'weather'], '60s').and_raise_error(%r{parameter 'name' expects a match}) }
end
