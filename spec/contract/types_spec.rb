# frozen_string_literal: true

require 'spec_helper'

# The Puppet types are the schema (schema/container-spec.v1.json): Hoist::ContainerConfig has the
# keys of the schema's Hiera entry ($defs/hiera_entry), and every key's type has the schema's
# patterns (as Ruby writes them: \A and \z for ^ and $), ranges and enums. Where a type is not a
# pattern or a range (Boolean, the Struct of Hoist::Registration), the shared corpus covers it.
describe 'the Puppet types, against the container schema' do
  contract = HoistSpec::Contract

  # Each key's Puppet type, resolved through aliases, as Puppet's type system holds it.
  def self.types
    @types ||= begin
      found = {}
      Puppet::Pal.in_tmp_environment('contract', modulepath: [File.join(HoistSpec::FIXTURES, 'modules')], facts: {}) do |pal|
        pal.with_catalog_compiler do |compiler|
          struct = compiler.type('Hoist::ContainerConfig').resolved_type
          struct.elements.each { |e| found[e.name] = [e.value_type, e.key_type.is_a?(Puppet::Pops::Types::POptionalType)] }
          found['name'] = [compiler.type('Hoist::Name'), false]
          found['kv_bucket'] = [compiler.type('Hoist::KvBucket'), false]
          found['kv_key'] = [compiler.type('Hoist::KvKey'), false]
          found['registration'] = [compiler.type('Hoist::Registration'), false]
        end
      end
      found
    end
  end

  T = Puppet::Pops::Types

  def self.unalias(type)
    type = type.resolved_type while type.is_a?(T::PTypeAliasType)
    type = type.optional_type while type.is_a?(T::POptionalType)
    type
  end

  # The regex sources in a type: a Pattern's, an Array's items', a Variant's branches', in order;
  # `\/` (how a Puppet regex literal writes /) as /.
  def self.puppet_patterns(type)
    type = unalias(type)
    case type
    when T::PPatternType then type.patterns.map { |r| r.regexp.source.gsub('\\/', '/') }
    when T::PArrayType then puppet_patterns(type.element_type)
    when T::PHashType then puppet_patterns(type.key_type) + puppet_patterns(type.value_type)
    when T::PVariantType then type.types.flat_map { |t| puppet_patterns(t) }
    else []
    end
  end

  # The schema's patterns of a property, in Ruby's syntax: its own, its items', its anyOf branches',
  # and a hash's keys' (propertyNames) and values' (additionalProperties).
  def self.schema_patterns(node)
    node = HoistSpec::Contract.resolve(node)
    own = node.key?('pattern') ? [HoistSpec::Contract.ruby_source(node['pattern'])] : []
    own + (node.key?('items') ? schema_patterns(node['items']) : []) +
      node.fetch('anyOf', []).flat_map { |b| schema_patterns(b) } +
      (node.key?('propertyNames') ? schema_patterns(node['propertyNames']) : []) +
      (node['additionalProperties'].is_a?(Hash) ? schema_patterns(node['additionalProperties']) : [])
  end

  let(:entry) { contract.schema['$defs']['hiera_entry'] }

  it 'Hoist::ContainerConfig has the Hiera entry keys, image alone required' do
    struct_keys = self.class.types.keys - ['name', 'kv_bucket', 'kv_key', 'registration']
    expect(struct_keys.sort).to eq(entry['properties'].keys.sort)
    required = self.class.types.reject { |k, (_, optional)| optional || ['name', 'kv_bucket', 'kv_key', 'registration'].include?(k) }.keys
    expect(required).to eq(entry['required'])
  end

  (contract.schema['properties'].keys + contract::HIERA_ONLY).each do |key|
    it "#{key}: the type's patterns are the schema's" do
      prop = contract.schema['properties'][key] || contract.schema['$defs']['hiera_entry']['properties'][key]
      type, = self.class.types.fetch(key)
      expect(self.class.puppet_patterns(type)).to eq(self.class.schema_patterns(prop))
    end
  end

  it 'the patterns are not all empty (the comparison above compares something)' do
    with_patterns = contract.schema['properties'].keys.count { |k| !self.class.puppet_patterns(self.class.types[k][0]).empty? }
    expect(with_patterns).to be >= 20
  end

  ['stop_timeout', 'health_status', 'pids_limit'].each do |key|
    it "#{key}: the type's range is the schema's" do
      type = self.class.unalias(self.class.types[key][0])
      prop = contract.schema['properties'][key]
      expect([type.class, type.from, type.to]).to eq([T::PIntegerType, prop['minimum'], prop['maximum']])
    end
  end

  ['syslog', 'kv_update', 'privileged', 'read_only', 'init'].each do |key|
    it "#{key} is a Boolean, as the schema says" do
      expect(self.class.unalias(self.class.types[key][0])).to be_a(T::PBooleanType)
      expect(contract.schema['properties'][key]['type']).to eq('boolean')
    end
  end

  it "cpus: the type's ranges are the schema's (a whole number or a decimal)" do
    type = self.class.unalias(self.class.types['cpus'][0])
    prop = contract.schema['properties']['cpus']
    expect(type).to be_a(T::PVariantType)
    ranges = type.types.map { |t| [t.class, t.from, t.to] }
    expect(ranges).to eq([[T::PIntegerType, prop['minimum'].ceil, prop['maximum']], [T::PFloatType, prop['minimum'], prop['maximum']]])
  end

  ['labels', 'log_opts', 'sysctls'].each do |key|
    it "#{key} is a Hash of patterns, as the schema's object" do
      expect(self.class.unalias(self.class.types[key][0])).to be_a(T::PHashType)
      expect(contract.schema['properties'][key]['type']).to eq('object')
    end
  end

  it "log_driver: the type's values are the schema's enum" do
    expect(self.class.unalias(self.class.types['log_driver'][0]).values.sort).to eq(contract.schema['properties']['log_driver']['enum'].sort)
  end

  ['ensure', 'kv_layout'].each do |key|
    it "#{key}: the type's values are the schema's enum" do
      expect(self.class.unalias(self.class.types[key][0]).values.sort).to eq(entry['properties'][key]['enum'].sort)
    end
  end

  it "Hoist::Registration is the schema's registration: keys, required keys, patterns and ranges" do
    struct = self.class.unalias(self.class.types['registration'][0])
    schema = contract.schema['$defs']['registration']
    elements = struct.elements.to_h { |e| [e.name, e] }
    expect(elements.keys.sort).to eq(schema['properties'].keys.sort)
    expect(elements.reject { |_, e| e.key_type.is_a?(T::POptionalType) }.keys.sort).to eq(schema['required'].sort)
    # ip is Stdlib::IP::Address::Nosubnet, whose patterns are written otherwise: see below.
    schema['properties'].reject { |key, _| key == 'ip' }.each do |key, prop|
      expect([key, self.class.puppet_patterns(elements[key].value_type)]).to eq([key, self.class.schema_patterns(prop)])
    end
    ['port', 'priority'].each do |key|
      type = self.class.unalias(elements[key].value_type)
      expect([key, type.from, type.to]).to eq([key, schema['properties'][key]['minimum'], schema['properties'][key]['maximum']])
    end
  end

  # A register_ports ip is Stdlib::IP::Address::Nosubnet, whose 17 patterns are not the schema's two
  # ($defs/ipv4, $defs/ipv6: what Go's net.ParseIP takes), so they are compared by their verdicts:
  # on every corpus ip and on some thousands of strings built from address parts.
  it "register_ports ip: Stdlib::IP::Address::Nosubnet judges addresses as the schema's ipv4 and ipv6 do" do
    type = self.class.unalias(self.class.types['registration'][0]).elements.find { |e| e.name == 'ip' }.value_type
    schema = ['ipv4', 'ipv6'].map { |d| Regexp.new(contract.ruby_source(contract.schema['$defs'][d]['pattern'])) }
    random = Random.new(7)
    parts = ['1', 'ab', 'FFFF', '0', '12345', '1.2.3.4', '255.255.255.255', '256.1.1.1', '01.2.3.4', 'g', '']
    samples = contract.rows.select { |r| r['key'] == 'register_ports' && r['value'].is_a?(Array) }
                      .flat_map { |r| r['value'].map { |e| e.is_a?(Hash) ? e['ip'] : nil } }.compact
    samples += ['::', '::1', '1::', '::ffff:1.2.3.4', '1:2:3:4:5:6:7::', '1::2:3:4:5:6:7', '1:2:3:4:5:6:1.2.3.4', '0.0.0.0']
    4000.times do
      s = Array.new(random.rand(1..9)) { parts[random.rand(parts.length)] }.join(':')
      i = random.rand(0..s.length)
      samples << (random.rand < 0.3 ? s.dup.insert(i, ':') : s)
    end
    wrong = samples.uniq.reject { |s| type.instance?(s) == schema.any? { |r| r.match?(s) } }
    expect(samples.uniq.length).to be > 2000
    expect(wrong).to eq([])
  end
end
