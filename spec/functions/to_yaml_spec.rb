# frozen_string_literal: true

require 'spec_helper'

# stdlib 8 (Debian 12) and stdlib 9 (Debian 13, the puppet stage's Puppet 8 run) write the same text.
describe 'hoist::to_yaml' do
  it 'writes YAML with the document marker' do
    is_expected.to run.with_params({ 'name' => 'hoist_weather', 'watchers' => [{ 'name' => 'check' }] })
                      .and_return("---\nname: hoist_weather\nwatchers:\n- name: check\n")
  end
end
