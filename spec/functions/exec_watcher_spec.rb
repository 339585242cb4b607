# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::exec_watcher' do
  let(:cli_path) { '/usr/local/bin/hoist-cli' }

  it 'calls hoist-cli by its path, with its arguments and the timeout, and no environment: the launcher reads the settings file' do
    is_expected.to run.with_params(cli_path, 'check', ['RUN'], ['check', 'weather'], '60s').and_return(
      'name' => 'check', 'type' => 'exec', 'state_match' => ['RUN'],
      'properties' => { 'command' => '/usr/local/bin/hoist-cli check weather', 'timeout' => '60s' },
    )
  end

  it 'merges more watcher keys and exec properties, leaving out undef values' do
    is_expected.to run.with_params(
      cli_path, 'remediate', ['REMEDIATE'], ['start', '--if-needed', 'weather'], '300s',
      { 'interval' => '30s', 'success_transition' => 'started', 'fail_transition' => nil },
      { 'governor' => nil, 'suppress_success_announce' => true },
    ).and_return(
      'name' => 'remediate', 'type' => 'exec', 'state_match' => ['REMEDIATE'], 'interval' => '30s', 'success_transition' => 'started',
      'properties' => {
        'command' => '/usr/local/bin/hoist-cli start --if-needed weather', 'timeout' => '300s',
        'suppress_success_announce' => true
      },
    )
  end

  it 'reads nothing from class hoist: it runs with no hoist class in the catalogue' do
    expect(catalogue.resource('Class', 'hoist')).to be_nil
    expect(subject.execute('/opt/hoist/bin/hoist-cli', 'stop', ['STOP'], ['stop', 'weather'], '70s')['properties']['command'])
      .to eq('/opt/hoist/bin/hoist-cli stop weather')
  end

  {
    'a cli_path with a space' => ['/opt/my tools/hoist-cli', %r{parameter 'cli_path' expects a match for Hoist::CommandPath}],
    'a relative cli_path' => ['hoist-cli', %r{parameter 'cli_path' expects a match for Hoist::CommandPath}],
    'the settings hash of earlier releases' => [{ 'cli_path' => '/usr/local/bin/hoist-cli' }, %r{parameter 'cli_path' expects a match for Hoist::CommandPath}],
  }.each do |what, (path, message)|
    it "refuses #{what}" do
      is_expected.to run.with_params(path, 'check', ['RUN'], ['check', 'weather'], '60s').and_raise_error(message)
    end
  end

  {
    'an argument with a space' => [['check', 'my weather'], %r{parameter 'arguments' index 1 expects a match}],
    'an argument with a quote' => [['check', "weather'"], %r{parameter 'arguments' index 1 expects a match}],
    'an argument with template braces' => [['check', '{{weather}}'], %r{parameter 'arguments' index 1 expects a match}],
    'no arguments' => [[], %r{parameter 'arguments' expects size to be at least 1}],
  }.each do |what, (arguments, message)|
    it "refuses #{what}, which Choria would split or expand" do
      is_expected.to run.with_params(cli_path, 'check', ['RUN'], arguments, '60s').and_raise_error(message)
    end
  end

  it { is_expected.to run.with_params(cli_path, 'check', ['RUN'], ['check', 'weather'], '500ms').and_raise_error(%r{parameter 'timeout' expects a match for Hoist::Duration}) }
  it { is_expected.to run.with_params(cli_path, 'check.1', ['RUN'], ['check', 'weather'], '60s').and_raise_error(%r{parameter 'name' expects a match}) }
end
