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
