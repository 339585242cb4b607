# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::nagios_watcher' do
  let(:cli_path) { '/usr/local/bin/hoist-cli' }

  it 'runs hoist-cli by its path, as the seed did: no /usr/bin/env and no settings on the command line (the launcher reads the settings file)' do
    is_expected.to run.with_params(cli_path, 'check', ['RUN'], ['check', '--nagios', 'weather'], '60s', '30s').and_return(
      'name' => 'check', 'type' => 'nagios', 'state_match' => ['RUN'], 'interval' => '30s',
      'properties' => {
        'plugin' => '/usr/local/bin/hoist-cli check --nagios weather',
        'timeout' => '60s',
      },
    )
  end

  it 'refuses a cli_path that the command line could not carry as one word' do
    is_expected.to run.with_params('/opt/my tools/hoist-cli', 'check', ['RUN'], ['check', '--nagios', 'weather'], '60s', '30s')
                      .and_raise_error(%r{parameter 'cli_path' expects a match for Hoist::CommandPath})
  end

  it 'refuses an argument that Choria would split' do
    is_expected.to run.with_params(cli_path, 'check', ['RUN'], ['check', '--nagios', 'my weather'], '60s', '30s')
                      .and_raise_error(%r{parameter 'arguments' index 2 expects a match})
  end
end
