# frozen_string_literal: true

# The type-alias specs (spec/type_aliases), one catalogue compile per type instead of one per value.
#
#   describe 'Hoist::Port' do
#     HoistSpec.type_cases(self, allowed: ['8080:8080', ...], refused: ['80:http', ...])
#   end
#
# defines one example that compiles one catalogue through rspec-puppet's own path (load_catalogue,
# as `allow_value` does: the fixtures' modulepath, the Hiera config, strict variables, the facts,
# any pre_condition and post_condition) whose test manifest judges every value with `$value =~ TYPE`,
# TYPE the describe's name as for `allow_value`. That is the check `allow_value` makes: rspec-puppet
# compiles `$test = VALUE` and `assert_type(TYPE, $test)` per value, and Puppet's assert_type
# accepts a value when `TypeCalculator.instance?(type, value)` (functions/assert_type.rb), which is
# `type.instance?(value)`, as `=~` is with a type on its right (eval_MatchExpression). The values
# are written into the manifest as rspec-puppet writes a test value (its str_from_value), and the
# verdicts come back in one Notify resource. The example fails naming each value judged wrongly:
# allowed where the list says refused, or refused where it says allowed (then with the error
# `allow_value` would show, from one more compile of that value alone, made only on failure).
module HoistSpec
  module TypeCases
    TITLE = 'hoist type cases'
    ALLOWED = 'allowed'
    REFUSED = 'refused'

    # Lets load_catalogue take the batch as the test manifest; every other manifest is rspec-puppet's.
    module Manifest
      def test_manifest(type, opts = {})
        opts.key?(:hoist_type_cases) ? opts[:hoist_type_cases] : super
      end
    end

    # In an example group of type :type_alias, one example judging every value.
    def self.define(group, allowed:, refused:)
      unless group.include?(RSpec::Puppet::TypeAliasExampleGroup)
        raise ArgumentError, "#{group.description}: type_cases needs an example group of type :type_alias (spec/type_aliases)"
      end
      raise ArgumentError, "#{group.description}: type_cases needs values" if allowed.empty? && refused.empty?

      group.include(Manifest)
      group.it "allows #{allowed.length} values and refuses #{refused.length}, in one compile" do
        HoistSpec::TypeCases.verify(self, self.class.top_level_description, allowed: allowed, refused: refused)
      end
    end

    # The test manifest judging VALUES (a non-empty list) by TYPE.
    def self.manifest(example, type, values)
      rendered = values.map { |value| example.send(:str_from_value, value) }
      <<~PUPPET
        $hoist_type_cases = [
          #{rendered.join(",\n  ")},
        ]
        notify { '#{TITLE}':
          message => $hoist_type_cases.map |$value| { if $value =~ #{type} { '#{ALLOWED}' } else { '#{REFUSED}' } }.join(','),
        }
      PUPPET
    end

    # Puppet's verdicts on VALUES, in their order, from one compile.
    def self.verdicts(example, type, values)
      catalogue = example.send(:load_catalogue, :type_alias, false, hoist_type_cases: manifest(example, type, values))
      resource = catalogue.resource('Notify', TITLE)
      raise "no Notify[#{TITLE}] in the catalogue" unless resource

      verdicts = resource[:message].to_s.split(',')
      raise "#{values.length} values but #{verdicts.length} verdicts: #{resource[:message]}" unless verdicts.length == values.length

      verdicts
    end

    # One line for each value Puppet judges otherwise than the lists say; none when all agree.
    def self.wrong(example, type, allowed:, refused:)
      cases = allowed.map { |value| [value, ALLOWED] } + refused.map { |value| [value, REFUSED] }
      cases.zip(verdicts(example, type, cases.map(&:first))).reject { |(_, want), got| got == want }.map do |(value, want), got|
        line = "#{value.inspect}: #{got}, expected #{want}"
        want == ALLOWED ? "#{line} (#{alone(example, value)})" : line
      end
    end

    # What rspec-puppet's allow_value says of VALUE alone: the error of its compile.
    def self.alone(example, value)
      example.send(:load_catalogue, :type_alias, false, test_value: value)
      'yet assert_type accepts it alone'
    rescue Puppet::Error => e
      e.message
    end

    # Fails the example (RSpec::Expectations::ExpectationNotMetError), naming each value judged wrongly.
    def self.verify(example, type, allowed:, refused:)
      lines = wrong(example, type, allowed: allowed, refused: refused)
      return if lines.empty?

      RSpec::Expectations.fail_with(
        "#{type} judges #{lines.length} of #{allowed.length + refused.length} values otherwise than the spec:\n  #{lines.join("\n  ")}",
      )
    end
  end

  # See HoistSpec::TypeCases.
  def self.type_cases(group, allowed:, refused:)
    TypeCases.define(group, allowed: allowed, refused: refused)
  end
end
