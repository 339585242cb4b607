# frozen_string_literal: true

require 'spec_helper'

# stdlib 8 (Debian 12) and stdlib 9 (Debian 13, the puppet stage's Puppet 8 run) write the same text.
describe 'hoist::to_json_pretty' do
  it 'writes indented JSON, a newline at the end' do
    is_expected.to run.with_params({ 'containers' => ['news', 'weather'] })
                      .and_return(%({\n  "containers": [\n    "news",\n    "weather"\n  ]\n}\n))
  end

  it 'writes an empty list as []' do
    is_expected.to run.with_params({ 'containers' => [] }).and_return(%({\n  "containers": [\n\n  ]\n}\n))
  end
end
