#!/usr/bin/env ruby
# frozen_string_literal: true

# harness/tools/puppet-module.rb: what Puppet's own module tools make of a module folder, for the
# release stage to hold harness/tools/module-package.py against (the libraries, not copies of them).
#
#   puppet-module.rb pmt-files ROOT      the files `puppet module build` packaged from ROOT: Puppet 5's
#                                        builder (Puppet::ModuleTool::Applications::Builder#copy_contents),
#                                        ROOT/.pmtignore read by the pathspec gem, then Puppet's ARTIFACTS
#   puppet-module.rb pdk-files ROOT      the files PDK 3.3+ packages (puppet-modulebuilder 2.x: a fixed
#                                        allowlist, .pmtignore not read), by the same pathspec gem
#   puppet-module.rb checksums DIR       checksums.json for DIR as the builder wrote it:
#                                        Puppet::Util::Json.dump(Puppet::ModuleTool::Checksums.new(DIR), pretty: true)
#
# File lists are printed one per line, in Find order (depth first, names sorted).
require 'find'
require 'pathname'
require 'pathspec'

# puppet-modulebuilder 2.1.0, lib/puppet/modulebuilder/builder.rb, Builder::IGNORED.
MODULEBUILDER2_IGNORED = [
  '/**', '/.*', '!/CHANGELOG*', '!/LICENSE', '!/README*', '!/REFERENCE.md', '!/bolt_plugin.json', '!/data/**',
  '!/docs/**', '!/examples/**', '!/facts.d/**', '!/files/**', '!/functions/**', '!/hiera.yaml', '!/lib/**',
  '!/locales/**', '!/manifests/**', '!/metadata.json', '!/plans/**', '!/scripts/**', '!/tasks/**',
  '!/templates/**', '!/types/**'
].freeze

def relative(path, root)
  Pathname.new(path).relative_path_from(Pathname.new(root)).to_s
end

# Find.find below ROOT; the block says whether to prune a path (given with a trailing / for folders).
def staged_files(root)
  files = []
  Find.find(root) do |path|
    next if path == root

    checked = File.directory?(path) ? "#{path}/" : path
    if yield(checked, relative(path, root))
      Find.prune
    elsif !File.directory?(path)
      files << relative(path, root)
    end
  end
  files
end

def pmt_files(root)
  require 'puppet'
  require 'puppet/module_tool'
  pmtignore = File.join(root, '.pmtignore')
  spec = File.file?(pmtignore) ? PathSpec.new(File.read(pmtignore, encoding: 'utf-8')) : PathSpec.new
  staged_files(root) do |checked, rel|
    !spec.match_paths([checked], root).empty? || Puppet::ModuleTool::ARTIFACTS.any? { |a| a === rel }
  end
end

def pdk_files(root)
  spec = PathSpec.new(MODULEBUILDER2_IGNORED)
  staged_files(root) { |checked, _rel| spec.match_path(checked, root) }
end

def checksums(dir)
  require 'puppet'
  require 'puppet/module_tool'
  Puppet::Util::Json.dump(Puppet::ModuleTool::Checksums.new(dir), pretty: true)
end

command, root = ARGV
abort 'usage: puppet-module.rb pmt-files|pdk-files|checksums DIR' unless root && File.directory?(root)
root = File.expand_path(root)
case command
when 'pmt-files' then puts pmt_files(root)
when 'pdk-files' then puts pdk_files(root)
when 'checksums' then print checksums(root)
else abort "puppet-module.rb: unknown command #{command}"
end
