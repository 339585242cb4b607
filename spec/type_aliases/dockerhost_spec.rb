# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::DockerHost' do
  [
    'unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375', 'ssh://user@host',
  ].each do |value|
    it { is_expected.to allow_value(value) }
  end

  [
    '/var/run/docker.sock', 'unix://var/run/docker.sock', 'http://127.0.0.1:2375', 'tcp://', 'unix:///var/run/my docker.sock', '',
  ].each do |value|
    it { is_expected.not_to allow_value(value) }
  end
end
