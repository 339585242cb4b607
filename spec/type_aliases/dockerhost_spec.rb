# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::DockerHost' do
  HoistSpec.type_cases(
    self,
    allowed: [
      'unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375', 'ssh://user@host',
    ],
    refused: [
      '/var/run/docker.sock', 'unix://var/run/docker.sock', 'http://127.0.0.1:2375', 'tcp://', 'unix:///var/run/my docker.sock', '',
    ],
  )
end
