# frozen_string_literal: true

# rspec-puppet from Debian's packages. The fixtures are this module and Debian's
# puppetlabs-stdlib, linked under spec/fixtures/modules (gitignored) each time the specs load,
# so a fresh clone needs no Forge access: `rspec` and `rake spec` (whose spec_prep links the same
# two, from .fixtures.yml) both work.
require 'fileutils'
require 'json'
require 'open3'
require 'tmpdir'
require 'yaml'

module HoistSpec
  ROOT = File.expand_path('..', __dir__)
  FIXTURES = File.join(ROOT, 'spec', 'fixtures')
  VALIDATOR = File.join(ROOT, 'harness', 'tools', 'validate-machine.py')

  # Debian's puppetlabs-stdlib (HOIST_STDLIB_DIR overrides).
  def self.stdlib_dir
    dir = ENV.fetch('HOIST_STDLIB_DIR', '')
    return dir unless dir.empty?

    out, status = Open3.capture2('dpkg', '-L', 'puppet-module-puppetlabs-stdlib')
    raise 'puppet-module-puppetlabs-stdlib is not installed (see harness/lib/packages.txt)' unless status.success?

    metadata = out.lines.map(&:chomp).select { |l| l.end_with?('/metadata.json') && File.file?(l) }.min_by(&:length)
    raise 'no metadata.json in puppet-module-puppetlabs-stdlib' unless metadata

    File.dirname(metadata)
  end

  # LINK leads to TARGET (Debian's stdlib is reached through /usr/share/puppet/modules/stdlib too).
  def self.same_dir?(link, target)
    File.realpath(link) == File.realpath(target)
  rescue SystemCallError
    false
  end

  def self.link_fixtures
    modules = File.join(FIXTURES, 'modules')
    FileUtils.mkdir_p(modules)
    { 'hoist' => ROOT, 'stdlib' => stdlib_dir }.each do |name, target|
      link = File.join(modules, name)
      next if File.symlink?(link) && same_dir?(link, target)

      FileUtils.rm_rf(link)
      File.symlink(target, link)
    end
    FileUtils.mkdir_p(File.join(FIXTURES, 'manifests'))
    FileUtils.touch(File.join(FIXTURES, 'manifests', 'site.pp'))
  end

  # The content of a file resource, unwrapping Sensitive.
  def self.content(catalogue, path)
    resource = catalogue.resource('File', path)
    raise "no File[#{path}] in the catalogue" unless resource

    value = resource[:content]
    value.respond_to?(:unwrap) ? value.unwrap : value
  end

  # Writes every machine.yaml of the catalogue to a temporary folder and runs the schema
  # validator on them; returns [success, output, count].
  def self.validate_machines(catalogue)
    files = catalogue.resources.select { |r| r.type == 'File' && r.title.end_with?('/machine.yaml') }
    Dir.mktmpdir('hoist-machines') do |dir|
      paths = files.each_with_index.map do |r, i|
        path = File.join(dir, "#{i}-#{File.basename(File.dirname(r.title))}.yaml")
        File.write(path, content(catalogue, r.title))
        path
      end
      out, status = Open3.capture2e(VALIDATOR, *paths)
      [status.success?, out, paths.length]
    end
  end
end

HoistSpec.link_fixtures

# Shared helpers (spec/support): the container contract and expect_container_json_valid.
Dir[File.join(__dir__, 'support', '*.rb')].sort.each { |f| require f }

RSpec.configure { |c| c.mock_with :rspec }
require 'puppetlabs_spec_helper/module_spec_helper'

RSpec.configure do |c|
  c.hiera_config = File.join(HoistSpec::FIXTURES, 'hiera', 'hiera.yaml')
  c.strict_variables = true
  # A Debian 12 node, as the apply stage's (hoist::java picks the JRE package by OS release).
  c.default_facts = { os: { 'name' => 'Debian', 'family' => 'Debian', 'release' => { 'major' => '12', 'full' => '12.12' } } }
end
