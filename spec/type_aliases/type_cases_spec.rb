# frozen_string_literal: true

require 'spec_helper'

# HoistSpec.type_cases (spec/support/type_cases.rb) can fail: a value the lists judge wrongly, either
# way, is named in the failure, through the same compile and verdicts its examples use. And its
# verdicts are rspec-puppet's allow_value's, for a value of each kind.
describe 'Hoist::Port' do
  include HoistSpec::TypeCases::Manifest

  it 'names each value judged otherwise than the lists say, and only those' do
    expect do
      HoistSpec::TypeCases.verify(self, 'Hoist::Port', allowed: ['8080:8080', '80:http'], refused: ['8080', '53:53/udp', 8080])
    end.to raise_error(RSpec::Expectations::ExpectationNotMetError) { |error|
      lines = error.message.lines.drop(1).map(&:strip)
      expect(error.message.lines.first).to include('Hoist::Port judges 2 of 5 values otherwise than the spec')
      expect(lines.length).to eq(2)
      expect(lines[0]).to start_with('"80:http": refused, expected allowed (')
      expect(lines[0]).to include('assert_type()') # rspec-puppet's own error, of that value alone
      expect(lines[1]).to eq('"53:53/udp": allowed, expected refused')
    }
  end

  it 'passes when every verdict is the lists' do
    expect(HoistSpec::TypeCases.wrong(self, 'Hoist::Port', allowed: ['8080:8080'], refused: ['80:http', 8080])).to eq([])
  end

  it 'writes the values as rspec-puppet writes a test value' do
    manifest = HoistSpec::TypeCases.manifest(self, 'Hoist::Port', ['$x', 1, { 'a' => [true] }])
    expect(manifest).to include('"\\$x",', '1,', '{ "a" => [ true ] },', '$value =~ Hoist::Port')
  end

  it 'agrees with allow_value' do
    expect(HoistSpec::TypeCases.verdicts(self, 'Hoist::Port', ['8080:8080', '80:http'])).to eq(['allowed', 'refused'])
    is_expected.to allow_value('8080:8080')
    is_expected.not_to allow_value('80:http')
  end
end
