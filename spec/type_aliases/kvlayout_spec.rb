# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::KvLayout' do
  [
    'container', 'shared',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    'Container', 'bucket', '',
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
