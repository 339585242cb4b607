# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::machine' do
  let(:title) { 'hoist_example' }
  let(:store) { '/srv/machines' }
  let(:folder) { "#{store}/hoist_example" }

  let(:transitions) do
    [
      { 'name' => 'fire', 'from' => ['RUN'], 'destination' => 'DONE', 'description' => 'Fire once' },
      { 'name' => 'again', 'from' => ['DONE'], 'destination' => 'RUN' },
    ]
  end
  let(:watchers) do
    [{ 'name' => 'tick', 'type' => 'exec', 'state_match' => ['RUN'], 'interval' => '1m',
       'success_transition' => 'fire', 'properties' => { 'command' => '/bin/true', 'timeout' => '10s' } }]
  end
  let(:base) { { store: store, initial_state: 'RUN', transitions: transitions, watchers: watchers } }
  let(:params) { base }

  let(:machine_yaml) { HoistSpec.content(catalogue, "#{folder}/machine.yaml") }

  context 'with no files' do
    it { is_expected.to compile.with_all_deps }

    it 'writes the folder (0755) and machine.yaml (0644), both root\'s' do
      is_expected.to contain_file(folder).with(ensure: 'directory', owner: 'root', group: 'root', mode: '0755')
      is_expected.to contain_file("#{folder}/machine.yaml").with(ensure: 'file', owner: 'root', group: 'root', mode: '0644')
      expect(catalogue.resources.select { |r| r.type == 'File' }.map(&:title)).to contain_exactly(folder, "#{folder}/machine.yaml")
    end

    it 'serialises the machine with to_yaml, named after the title, its keys in Choria\'s order' do
      expect(machine_yaml).to start_with("---\nname: hoist_example\nversion: 1.0.0\ninitial_state: RUN\ntransitions:\n")
      expect(YAML.safe_load(machine_yaml)).to eq(
        'name' => 'hoist_example', 'version' => '1.0.0', 'initial_state' => 'RUN', 'transitions' => transitions, 'watchers' => watchers,
      )
    end

    it 'writes a machine.yaml that validates against the Choria machine schema' do
      ok, out, count = HoistSpec.validate_machines(catalogue)
      expect(count).to eq(1)
      expect(ok).to be(true), out
    end
  end

  context 'with a plain file, a Sensitive file and a version' do
    let(:params) do
      base.merge(
        version: '2.10.3',
        files: {
          'managed.json' => '{"containers": []}',
          'container.json' => RSpec::Puppet::RawString.new("Sensitive('{\"environment\": [\"KEY=secret\"]}')"),
        },
      )
    end

    it { is_expected.to compile.with_all_deps }

    it 'writes the plain file 0644 and the Sensitive one 0600, both root\'s, before machine.yaml' do
      is_expected.to contain_file("#{folder}/managed.json")
        .with(ensure: 'file', owner: 'root', group: 'root', mode: '0644', content: '{"containers": []}')
        .that_comes_before("File[#{folder}/machine.yaml]")
      is_expected.to contain_file("#{folder}/container.json")
        .with(ensure: 'file', owner: 'root', group: 'root', mode: '0600')
        .that_comes_before("File[#{folder}/machine.yaml]")
    end

    it 'keeps the Sensitive content out of diffs and logs' do
      expect(catalogue.resource('File', "#{folder}/container.json").sensitive_parameters).to include(:content)
      expect(catalogue.resource('File', "#{folder}/managed.json").sensitive_parameters).not_to include(:content)
      expect(HoistSpec.content(catalogue, "#{folder}/container.json")).to eq('{"environment": ["KEY=secret"]}')
    end

    it { expect(YAML.safe_load(machine_yaml)['version']).to eq('2.10.3') }
  end

  context 'with the store of class hoist' do
    let(:pre_condition) { "class { 'hoist': purge => false, machine_store => '/var/lib/choria/machines' }" }
    let(:params) { base.reject { |k, _| k == :store } }

    it { is_expected.to contain_file('/var/lib/choria/machines/hoist_example/machine.yaml') }
  end

  context 'with ensure absent' do
    let(:params) { { store: store, ensure: 'absent' } }

    it { is_expected.to compile.with_all_deps }

    it 'removes the folder with everything in it, and writes nothing' do
      is_expected.to contain_file(folder).with(ensure: 'absent', recurse: true, force: true)
      expect(catalogue.resources.select { |r| r.type == 'File' }.map(&:title)).to eq([folder])
    end
  end

  {
    'a name with a dot' => [{}, 'hoist.example', %r{Hoist::Machine\[hoist\.example\]: 'hoist\.example' is not a Choria machine name: a name is a letter followed by at least one more letter}],
    'no initial_state' => [{ initial_state: :undef }, nil, %r{Hoist::Machine\[hoist_example\]: initial_state, transitions and watchers are required}],
    'no watchers' => [{ watchers: [] }, nil, %r{Hoist::Machine\[hoist_example\]: initial_state, transitions and watchers are required}],
    'no transitions' => [{ transitions: [] }, nil, %r{Hoist::Machine\[hoist_example\]: initial_state, transitions and watchers are required}],
    'a transition without a destination' => [{ transitions: [{ 'name' => 'fire', 'from' => ['RUN'] }] }, nil,
                                             %r{Hoist::Machine\[hoist_example\]: parameter 'transitions' index 0 expects a value for key 'destination'}],
    'a transition name with a dot' => [{ transitions: [{ 'name' => 'fi.re', 'from' => ['RUN'], 'destination' => 'DONE' }] }, nil,
                                       %r{Hoist::Machine\[hoist_example\]: parameter 'transitions' index 0 entry 'name' expects a match}],
    'a version 1.0' => [{ version: '1.0' }, nil, %r{Hoist::Machine\[hoist_example\]: parameter 'version' expects a match}],
    'a relative store' => [{ store: 'machines' }, nil, %r{Hoist::Machine\[hoist_example\]: parameter 'store' expects a Stdlib::Absolutepath}],
    'a file named machine.yaml' => [{ files: { 'machine.yaml' => 'x' } }, nil,
                                    %r{Hoist::Machine\[hoist_example\]: files may not hold machine\.yaml, which are the machine's and Choria's}],
    'a file named machine_data.json' => [{ files: { 'machine_data.json' => '{}' } }, nil, %r{files may not hold machine_data\.json}],
    'a file in a sub-folder' => [{ files: { 'sub/file.json' => '{}' } }, nil, %r{Hoist::Machine\[hoist_example\]: parameter 'files' key of entry 'sub/file\.json' expects a match for Pattern}],
    'a file with content that is not a string' => [{ files: { 'n.json' => 5 } }, nil, %r{Hoist::Machine\[hoist_example\]: parameter 'files' entry 'n\.json' expects}],
  }.each do |what, (bad, name, message)|
    context "with #{what}" do
      let(:title) { name || 'hoist_example' }
      let(:params) { base.merge(bad).reject { |_, v| v == :undef } }

      it { is_expected.to compile.and_raise_error(message) }
    end
  end
end
