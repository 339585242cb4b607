# frozen_string_literal: true

require 'spec_helper'

# harness/tools/validate-machine.py: the official Choria machine schema for every watcher type it
# knows, plus a gossip definition written from go-choria v0.30.2's gossip watcher.
describe 'harness/tools/validate-machine.py' do
  let(:gossip) do
    {
      'name' => 'register_port_1', 'type' => 'gossip', 'state_match' => ['RUN'], 'interval' => '15s',
      'properties' => {
        'registration' => {
          'cluster' => 'lon', 'service' => 'weather', 'protocol' => 'http', 'ip' => '192.0.2.10', 'port' => 8080,
          'priority' => 1, 'annotations' => { 'prometheus.io/scrape' => 'true' }
        },
      }
    }
  end
  let(:exec) do
    { 'name' => 'check', 'type' => 'exec', 'state_match' => ['RUN'], 'interval' => '10s', 'properties' => { 'command' => '/bin/true' } }
  end

  def validate(*watchers)
    machine = {
      'name' => 'hoist_weather', 'version' => '1.0.0', 'initial_state' => 'RUN',
      'transitions' => [{ 'name' => 'stop', 'from' => ['RUN'], 'destination' => 'STOP' }],
      'watchers' => watchers
    }
    Dir.mktmpdir('hoist-validate') do |dir|
      path = File.join(dir, 'machine.yaml')
      File.write(path, machine.to_yaml)
      out, status = Open3.capture2e(HoistSpec::VALIDATOR, path)
      [status.success?, out]
    end
  end

  def registration(changes)
    gossip.merge('properties' => { 'registration' => gossip['properties']['registration'].merge(changes).compact })
  end

  it 'accepts a gossip registration beside an exec watcher' do
    ok, out = validate(exec, gossip)
    expect(ok).to be(true), out
  end

  it 'accepts the other form of the gossip watcher: a subject and a payload' do
    ok, out = validate(gossip.merge('properties' => { 'subject' => 'weather.events', 'payload' => '{"up": true}' }))
    expect(ok).to be(true), out
  end

  it 'accepts an IPv6 address and no priority or annotations' do
    ok, out = validate(registration('ip' => '2001:db8::10', 'priority' => nil, 'annotations' => nil))
    expect(ok).to be(true), out
  end

  {
    'a cluster with a dot' => [{ 'cluster' => 'lon.1' }, %r{registration/cluster: 'lon.1' does not match}],
    'no service' => [{ 'service' => nil }, %r{registration: 'service' is a required property}],
    'no ip' => [{ 'ip' => nil }, %r{registration: 'ip' is a required property}],
    'a host name as ip' => [{ 'ip' => 'example.com' }, %r{registration/ip: 'example.com'}],
    'an IPv4 address with leading zeros' => [{ 'ip' => '010.0.0.1' }, %r{registration/ip: '010.0.0.1' is not valid}],
    'port 0' => [{ 'port' => 0 }, %r{registration/port: 0 is less than the minimum of 1}],
    'a port as a string' => [{ 'port' => '8080' }, %r{registration/port: '8080' is not of type 'integer'}],
    'a misspelt key' => [{ 'adress' => '192.0.2.1' }, %r{registration: Additional properties are not allowed \('adress' was unexpected\)}],
    'an annotation that is not a string' => [{ 'annotations' => { 'scrape' => true } }, %r{registration/annotations/scrape: True is not of type 'string'}],
  }.each do |what, (changes, message)|
    it "refuses a gossip registration with #{what}" do
      ok, out = validate(registration(changes))
      expect(ok).to be(false)
      expect(out).to match(message)
    end
  end

  it 'refuses a gossip watcher with both a registration and a subject' do
    ok, out = validate(gossip.merge('properties' => gossip['properties'].merge('subject' => 'x.y')))
    expect(ok).to be(false)
    expect(out).to match(%r{watchers/0/properties: .* is not valid under any of the given schemas})
  end

  it 'refuses a gossip subject with ..' do
    ok, out = validate(gossip.merge('properties' => { 'subject' => 'a..b', 'payload' => 'x' }))
    expect(ok).to be(false)
    expect(out).to match(%r{watchers/0/properties/subject: 'a..b' should not be valid})
  end

  it 'refuses a gossip interval the schema refuses: 1m30s' do
    ok, out = validate(gossip.merge('interval' => '1m30s'))
    expect(ok).to be(false)
    expect(out).to match(%r{watchers/0/interval: '1m30s' does not match})
  end

  it 'still refuses what the official schema refuses in other watchers' do
    ok, out = validate(exec.merge('interval' => '1m30s'), gossip)
    expect(ok).to be(false)
    expect(out).to match(%r{watchers/0/interval: '1m30s' does not match})
    expect(out).not_to match(%r{watchers/1})
  end

  it 'does not let a registration make an exec watcher valid' do
    ok, out = validate(exec.merge('properties' => gossip['properties']))
    expect(ok).to be(false)
    expect(out).to match(%r{watchers/0/properties: 'command' is a required property})
  end

  it 'still refuses an unknown watcher type' do
    ok, out = validate(gossip.merge('type' => 'gossipy'))
    expect(ok).to be(false)
    expect(out).to match(%r{watchers/0: unknown watcher type 'gossipy'})
  end
end
