# frozen_string_literal: true

require 'spec_helper'

describe 'hoist::seconds' do
  {
    '0s' => 0, '1s' => 1, '60s' => 60, '0m' => 0, '5m' => 300, '90m' => 5400, '1h' => 3600, '24h' => 86_400,
  }.each do |duration, seconds|
    it { is_expected.to run.with_params(duration).and_return(seconds) }
  end

  it { is_expected.to run.with_params('5').and_raise_error(%r{parameter 'duration' expects a match for Hoist::Period}) }
  it { is_expected.to run.with_params('1m30s').and_raise_error(%r{parameter 'duration' expects a match for Hoist::Period}) }
  it { is_expected.to run.with_params('010s').and_raise_error(%r{parameter 'duration' expects a match for Hoist::Period}) }
end
