# frozen_string_literal: true

require 'spec_helper'

# The shared corpus (spec/fixtures/contract/values.yaml), judged by Puppet as Hiera data meets it:
# a catalog of class hoist with hoist::containers {NAME => {image => example/app, KEY => VALUE}}.
# A row is valid to Puppet when the class's type, Hash[Hoist::Name, Hoist::ContainerConfig],
# accepts the entry and the catalog then compiles (hoist::container's own checks, such as
# health_status without health_http, fail it). kv_bucket and kv_key, which Hiera does not set, are
# judged by the types the KV location is made of, Hoist::KvBucket and Hoist::KvKey.
#
# The catalogs are compiled with Puppet's own compiler (Puppet::Pal, the compiler rspec-puppet
# drives), against this module and Debian's stdlib as rspec-puppet's fixtures link them: one
# compile for every entry the type accepts and the row calls valid, and one for each entry the
# type accepts but the row calls invalid (or for each entry of the first, when it fails).
describe 'the contract corpus, judged by Puppet' do
  contract = HoistSpec::Contract

  # The node's facts (register_ports takes the node's address from networking.ip, hoist::java the
  # JRE package from os); new each time: Puppet::Pal adds to the hash it is given.
  def self.facts
    { 'networking' => { 'ip' => '192.0.2.10' }, 'os' => { 'name' => 'Debian', 'family' => 'Debian', 'release' => { 'major' => '12' } } }
  end

  # [type accepts, entries] per row: the hoist::containers hash a row stands for.
  def self.entries(row, number)
    name = row['key'] == 'name' ? row['value'] : "c#{number}"
    entry = { 'image' => HoistSpec::Contract::BASE_IMAGE }.merge(row.fetch('with', {}))
    if row['absent']
      entry.delete(row['key'])
    elsif row['key'] != 'name'
      entry[row['key']] = row['value']
    end
    { name => entry }
  end

  # Compiles class hoist with these containers; nil when it compiles, else Puppet's message.
  def self.compile_error(containers)
    Puppet::Pal.in_tmp_environment('contract', modulepath: [File.join(HoistSpec::FIXTURES, 'modules')],
                                               facts: self.facts.merge('contract_containers' => containers)) do |pal|
      pal.with_catalog_compiler do |compiler|
        compiler.evaluate_string("class { 'hoist': containers => $facts['contract_containers'] }")
        compiler.compile_additions
      end
    end
    nil
  rescue Puppet::Error => e
    e.message
  end

  # Every applicable row's Puppet verdict: [[number, row, valid?, reason]].
  def self.verdicts(rows)
    judged = []
    catalog_rows = []
    Puppet::Pal.in_tmp_environment('contract', modulepath: [File.join(HoistSpec::FIXTURES, 'modules')], facts: self.facts) do |pal|
      pal.with_catalog_compiler do |compiler|
        containers = compiler.type('Hash[Hoist::Name, Hoist::ContainerConfig]')
        kv = { 'kv_bucket' => compiler.type('Hoist::KvBucket'), 'kv_key' => compiler.type('Hoist::KvKey') }
        rows.each_with_index do |row, i|
          next unless HoistSpec::Contract.applies?(row, 'puppet')

          number = i + 1
          if kv.key?(row['key'])
            judged << [number, row, kv[row['key']].instance?(row['value']), "by #{kv[row['key']]}"]
          elsif containers.instance?(entries(row, number))
            catalog_rows << [number, row]
          else
            judged << [number, row, false, 'refused by Hash[Hoist::Name, Hoist::ContainerConfig]']
          end
        end
      end
    end
    # The entries the type accepts: together when the rows call them valid, alone otherwise.
    together, alone = catalog_rows.partition { |_, row| row['valid'] }
    error = together.empty? ? nil : compile_error(together.map { |n, row| entries(row, n) }.reduce({}, :merge))
    alone += together if error
    judged += together.map { |n, row| [n, row, true, 'the catalog compiles'] } unless error
    alone.each do |n, row|
      message = compile_error(entries(row, n))
      judged << [n, row, message.nil?, message || 'the catalog compiles']
    end
    judged.sort_by(&:first)
  end

  # Judged once, when an example first asks.
  def self.judged
    @judged ||= verdicts(HoistSpec::Contract.rows)
  end

  let(:judged) { self.class.judged }

  it 'judges at least 150 rows, covering every key of the schema and of the Hiera entry' do
    keys = judged.map { |_, row| row['key'] }.uniq
    expect(judged.length).to be >= 150
    expect(contract.schema['properties'].keys + contract::HIERA_ONLY - keys).to eq([])
  end

  it 'agrees with every row' do
    wrong = judged.reject { |_, row, valid| valid == row['valid'] }.map do |n, row, valid, reason|
      value = row['absent'] ? '(absent)' : row['value'].to_json
      "row #{n}: #{row['key']} = #{value[0, 100]}: expected #{row['valid'] ? 'valid' : 'invalid'}, " \
        "Puppet says #{valid ? 'valid' : 'invalid'} (#{row['why']}): #{reason[0, 300]}"
    end
    expect(wrong).to eq([]), "Puppet disagrees with #{wrong.length} of #{judged.length} corpus rows:\n#{wrong.join("\n")}"
  end
end
