# frozen_string_literal: true

require 'spec_helper'

describe 'Hoist::ContainerCommand' do
  HoistSpec.type_cases(
    self,
    allowed: [
      '/bin/weather --serve', ['/bin/weather', '--serve'], ['run'], ['echo', ''], [''], "sh -c 'echo $HOME'", "''", "a\\ b",
      "\u00a0", "\u2003",
    ],
    refused: [
      '', [], ['/bin/weather', 5], 5, ' ', "\t\n", " \t\n\r", "echo 'open", 'echo "a\\"', 'echo \\', "\\\n", "a\u0000b", ["a\u0000b"],
    ],
  )
end
