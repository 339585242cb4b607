# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::Name' do
  [
    'weather', 'ab', 'Web_app-2', 'w1', 'purged', 'purge_old', 'my-purge',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    'web.app', 'web app', 'a', '1weather', '_weather', '-web', 'purge', 'wea/ther', "weather\n", '', 5,
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
