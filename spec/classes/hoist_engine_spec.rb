# frozen_string_literal: true

require 'spec_helper'

# hoist::engine (engine, manage_engine, engine_package) and the endpoint docker_host defaults to.
describe 'hoist' do
  let(:purge_machine) { YAML.safe_load(HoistSpec.content(catalogue, '/etc/choria/machine/hoist_purge/machine.yaml')) }
  let(:settings) { HoistSpec.content(catalogue, '/etc/hoist/hoist-cli.conf').lines.map(&:chomp) }
  let(:weather_machine) { HoistSpec.content(catalogue, '/etc/choria/machine/hoist_weather/machine.yaml') }

  context 'with defaults (Docker, engine not managed)' do
    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_class('hoist::engine') }
    it { is_expected.not_to contain_package('podman') }
    it { is_expected.not_to contain_package('docker.io') }
    it { is_expected.not_to contain_service('podman.socket') }
    it { is_expected.not_to contain_service('docker.service') }
    it { expect(settings).to include('DOCKER_HOST=unix:///var/run/docker.sock') }
  end

  context 'with engine podman' do
    let(:params) { { engine: 'podman', containers: { 'weather' => { 'image' => 'example/weather' } } } }

    it { is_expected.to compile.with_all_deps }

    it 'points hoist-cli at Podman\'s rootful API socket, in the settings file, not in the machines' do
      expect(settings).to include('DOCKER_HOST=unix:///run/podman/podman.sock')
      expect(settings.join("\n")).not_to include('docker.sock')
      expect(weather_machine).not_to include('DOCKER_HOST')
      expect(weather_machine).not_to include('podman')
      ok, out, count = HoistSpec.validate_machines(catalogue)
      expect(ok).to be(true), out
      expect(count).to eq(2)
    end

    it 'installs nothing without manage_engine' do
      is_expected.not_to contain_package('podman')
      is_expected.not_to contain_service('podman.socket')
    end

    context 'with docker_host set' do
      let(:params) { super().merge(docker_host: 'unix:///srv/podman/podman.sock') }

      it { expect(settings).to include('DOCKER_HOST=unix:///srv/podman/podman.sock') }
    end

    context 'with manage_engine' do
      let(:params) { super().merge(manage_engine: true) }

      it { is_expected.to compile.with_all_deps }

      it 'installs podman and enables podman.socket before any machine' do
        is_expected.to contain_package('podman').with(ensure: 'installed').that_comes_before('Service[podman.socket]')
        is_expected.to contain_service('podman.socket').with(ensure: 'running', enable: true)
        is_expected.to contain_class('hoist::engine').that_comes_before('Hoist::Container[weather]')
        is_expected.not_to contain_package('docker.io')
      end

      context 'on Rocky 9' do
        let(:facts) { { os: { 'name' => 'Rocky', 'family' => 'RedHat', 'release' => { 'major' => '9', 'full' => '9.4' } } } }
        let(:params) { super().merge(manage_java: false) }

        it { is_expected.to compile.with_all_deps }
        it { is_expected.to contain_package('podman') }
        it { is_expected.to contain_service('podman.socket').with(ensure: 'running', enable: true) }
      end

      context 'with engine_package set' do
        let(:params) { super().merge(engine_package: 'podman-remote') }

        it { is_expected.to contain_package('podman-remote').that_comes_before('Service[podman.socket]') }
        it { is_expected.not_to contain_package('podman') }
      end
    end
  end

  context 'with engine docker and manage_engine on Debian' do
    let(:params) { { manage_engine: true } }

    it { is_expected.to compile.with_all_deps }
    it { is_expected.to contain_package('docker.io').with(ensure: 'installed').that_comes_before('Service[docker.service]') }
    it { is_expected.to contain_service('docker.service').with(ensure: 'running', enable: true) }
    it { is_expected.not_to contain_service('podman.socket') }
  end

  context 'with engine docker and manage_engine on Rocky 9, where Hoist knows no Docker package' do
    let(:facts) { { os: { 'name' => 'Rocky', 'family' => 'RedHat', 'release' => { 'major' => '9', 'full' => '9.4' } } } }
    let(:params) { { manage_engine: true, manage_java: false } }

    it { is_expected.to compile.and_raise_error(%r{no Docker package is known for the RedHat family: set hoist::engine_package}) }
  end

  context 'with an engine Hoist does not know' do
    let(:params) { { engine: 'containerd' } }

    it { is_expected.to compile.and_raise_error(%r{engine}) }
  end
end
