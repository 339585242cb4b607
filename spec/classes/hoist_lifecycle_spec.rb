# frozen_string_literal: true

require 'spec_helper'

# hoist::java (manage_java) and hoist::remove (ensure: absent).
describe 'hoist' do
  let(:store) { '/etc/choria/machine' }

  context 'with defaults on Debian 12' do
    it { is_expected.to compile.with_all_deps }

    it 'installs openjdk-17-jre-headless before the launcher, the jar and the machines' do
      is_expected.to contain_package('openjdk-17-jre-headless').with(ensure: 'installed')
      is_expected.to contain_class('hoist::java').that_comes_before('Class[hoist::cli]')
      is_expected.to contain_class('hoist::cli').that_comes_before('Class[hoist::purge]')
    end

    it 'removes nothing' do
      is_expected.not_to contain_exec('hoist-cli purge --all')
      is_expected.not_to contain_class('hoist::remove')
    end
  end

  context 'on Debian 13' do
    let(:facts) { { os: { 'name' => 'Debian', 'family' => 'Debian', 'release' => { 'major' => '13', 'full' => '13.2' } } } }

    it { is_expected.to contain_package('openjdk-21-jre-headless').with(ensure: 'installed') }
    it { is_expected.not_to contain_package('openjdk-17-jre-headless') }
  end

  context 'on a system Hoist knows no JRE package for' do
    let(:facts) { { os: { 'name' => 'Ubuntu', 'family' => 'Debian', 'release' => { 'major' => '24.04', 'full' => '24.04' } } } }

    it { is_expected.to compile.and_raise_error(%r{no Java runtime package is known for Ubuntu 24\.04: set hoist::java_package}) }

    context 'with java_package set' do
      let(:params) { { java_package: 'openjdk-21-jre-headless' } }

      it { is_expected.to contain_package('openjdk-21-jre-headless').that_comes_before('Class[hoist::cli]') }
    end
  end

  context 'with manage_java false' do
    let(:params) { { manage_java: false } }

    it { is_expected.to compile.with_all_deps }
    it { is_expected.not_to contain_package('openjdk-17-jre-headless') }
  end

  context 'with ensure absent' do
    let(:params) do
      {
        ensure: 'absent',
        containers: { 'weather' => { 'image' => 'example/weather' } },
        java_path: '/opt/java/bin/java',
      }
    end

    it { is_expected.to compile.with_all_deps }

    it 'runs hoist-cli purge --all with the settings file\'s settings in its environment, only while a Hoist machine folder is left' do
      is_expected.to contain_exec('hoist-cli purge --all').with(
        command: ['/usr/local/bin/hoist-cli', 'purge', '--all', '--store', store],
        environment: ['DOCKER_HOST=unix:///var/run/docker.sock', 'HOIST_CLI_JAR=/usr/local/lib/hoist/hoist-cli.jar',
                      'HOIST_REGISTRY_AUTH=/etc/hoist/registry-auth.json', 'HOIST_JAVA=/opt/java/bin/java'],
        onlyif: "/bin/sh -c 'for f in #{store}/hoist_*/container.json #{store}/hoist_purge; do [ -e \"$f\" ] && exit 0; done; exit 1'",
      )
    end

    it 'then removes the purge folder, the launcher, the jar, its archives and their stamps, and its folder' do
      is_expected.to contain_file("#{store}/hoist_purge").with(ensure: 'absent', force: true).that_requires('Exec[hoist-cli purge --all]')
      lib = '/usr/local/lib/hoist'
      archives = ["#{lib}/hoist-cli.jsa", "#{lib}/hoist-cli.jsa.jvm", "#{lib}/hoist-cli-commands.jsa", "#{lib}/hoist-cli-commands.jsa.jvm"]
      (['/usr/local/bin/hoist-cli', "#{lib}/hoist-cli.jar"] + archives).each do |f|
        is_expected.to contain_file(f).with(ensure: 'absent').that_requires('Exec[hoist-cli purge --all]')
      end
      is_expected.to contain_file(lib).with(ensure: 'absent', force: true)
        .that_requires((["#{lib}/hoist-cli.jar"] + archives).map { |f| "File[#{f}]" })
    end

    it "removes the node's settings file after the purge, and leaves its folder" do
      is_expected.to contain_file('/etc/hoist/hoist-cli.conf').with(ensure: 'absent').that_requires('Exec[hoist-cli purge --all]')
      is_expected.not_to contain_file('/etc/hoist')
    end

    it 'leaves registry credentials it did not write' do
      is_expected.not_to contain_file('/etc/hoist/registry-auth.json')
    end

    context 'and registry credentials Puppet wrote' do
      let(:params) do
        { ensure: 'absent', registry_auth: sensitive({ 'registry.example.com' => { 'username' => 'u', 'password' => 'p' } }) }
      end

      it { is_expected.to contain_file('/etc/hoist/registry-auth.json').with(ensure: 'absent').that_requires('Exec[hoist-cli purge --all]') }
    end

    context 'and the jar in a shared folder' do
      let(:params) { { ensure: 'absent', jar_path: '/usr/local/lib/hoist-cli.jar' } }

      it { is_expected.to contain_file('/usr/local/lib/hoist-cli.jar').with(ensure: 'absent') }
      it { is_expected.to contain_file('/usr/local/lib/hoist-cli-commands.jsa').with(ensure: 'absent') }
      it { is_expected.not_to contain_file('/usr/local/lib') }
    end

    it 'writes no machine, installs nothing and leaves Java alone' do
      is_expected.not_to contain_file("#{store}/hoist_weather/machine.yaml")
      is_expected.not_to contain_file("#{store}/hoist_purge/managed.json")
      is_expected.not_to contain_package('openjdk-17-jre-headless')
      is_expected.not_to contain_class('hoist::cli')
    end

    context 'and manage_cli false' do
      let(:params) { { ensure: 'absent', manage_cli: false } }

      it { is_expected.to contain_exec('hoist-cli purge --all') }
      it { is_expected.not_to contain_file('/usr/local/bin/hoist-cli') }
      it { is_expected.not_to contain_file('/usr/local/lib/hoist') }
    end
  end
end
