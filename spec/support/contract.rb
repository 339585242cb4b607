# frozen_string_literal: true

# The container contract (schema/container-spec.v1.json) for the specs: the schema, the shared
# corpus (spec/fixtures/contract/values.yaml), the schema's patterns as Ruby reads them, and
# `expect_container_json_valid(text)`, which validates a container.json with harness/tools/contract.py.
module HoistSpec
  module Contract
    SCHEMA_PATH = File.join(HoistSpec::ROOT, 'schema', 'container-spec.v1.json')
    CORPUS_PATH = File.join(HoistSpec::FIXTURES, 'contract', 'values.yaml')
    TOOL = File.join(HoistSpec::ROOT, 'harness', 'tools', 'contract.py')
    # The corpus's base entry (as harness/tools/contract.py builds it).
    BASE_NAME = 'corpus'
    BASE_IMAGE = 'example/app'
    HIERA_ONLY = ['ensure', 'kv_layout', 'register_ports'].freeze

    def self.schema
      @schema ||= JSON.parse(File.read(SCHEMA_PATH))
    end

    def self.rows
      @rows ||= YAML.safe_load(File.read(CORPUS_PATH))['rows']
    end

    # hoist-cli's example of a spec that sets every key (its SpecParserTest fails until it does).
    FULL_SPEC_PATH = File.join(HoistSpec::ROOT, 'hoist-cli', 'src', 'test', 'resources', 'specs', 'full.json')

    # An example of every Hiera key, completed: the keys of the Hiera entry it does not set, with
    # specs/full.json's values, and all in the schema's order. So a key added to the contract needs
    # no line in the rspec examples of every key (spec/defines/container_spec.rb,
    # spec/type_aliases/containerconfig_spec.rb): adding a key is the schema, hoist-cli's row, corpus
    # rows and full.json (CONTRIBUTING.md).
    def self.with_every_key(example)
      full = JSON.parse(File.read(FULL_SPEC_PATH))
      order = schema['$defs']['hiera_entry']['properties'].keys
      given = example.keys.map(&:to_s)
      added = (order - given).select { |k| full.key?(k) }.to_h { |k| [k, full[k]] }
      example.merge(added).sort_by { |k, _| order.index(k.to_s) || order.length }.to_h
    end

    def self.applies?(row, side)
      row.fetch('only', [side]).include?(side)
    end

    # A JSON pointer of the schema (`#/$defs/duration`), followed through `$ref`s.
    def self.resolve(node)
      node = schema.dig(*node['$ref'].sub(%r{\A#/}, '').split('/')) while node.is_a?(Hash) && node.key?('$ref')
      node
    end

    # The schema's pattern in Ruby's syntax: `^` and `$` outside a character class mean the start
    # and end of the whole string, which Ruby writes \A and \z (its ^ and $ are line anchors).
    def self.ruby_source(pattern)
      out = +''
      in_class = false
      i = 0
      while i < pattern.length
        c = pattern[i]
        if c == '\\'
          out << pattern[i, 2]
          i += 2
          next
        end
        if in_class
          in_class = false if c == ']'
          out << c
        elsif c == '['
          in_class = true
          out << c
          if pattern[i + 1] == '^'
            out << '^'
            i += 1
          end
          if pattern[i + 1] == ']'
            out << ']'
            i += 1
          end
        elsif c == '^'
          out << '\\A'
        elsif c == '$'
          out << '\\z'
        else
          out << c
        end
        i += 1
      end
      out
    end

    # Validates container.json text with harness/tools/contract.py: [success, output].
    def self.validate_container_json(text)
      Dir.mktmpdir('hoist-contract') do |dir|
        path = File.join(dir, 'container.json')
        File.write(path, text)
        out, status = Open3.capture2e(TOOL, 'validate', path)
        [status.success?, out]
      end
    end
  end

  # Included in every example group: `expect_container_json_valid(text)`.
  module ContractHelpers
    def expect_container_json_valid(text)
      ok, out = HoistSpec::Contract.validate_container_json(text)
      expect(ok).to be(true), "container.json does not validate against schema/container-spec.v1.json:\n#{out}\n#{text}"
    end
  end
end

RSpec.configure { |c| c.include HoistSpec::ContractHelpers }
