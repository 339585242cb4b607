# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Network' do
  [
    'bridge', 'host', 'none', 'weathernet', 'my_net.1-a',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '', '-net', 'my net', 'container:web', 'a' * 65,
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
