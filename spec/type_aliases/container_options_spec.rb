# frozen_string_literal: true

require 'spec_helper'

# The type aliases of the container options (memory ... sysctls); the shared corpus
# (spec/contract/corpus_spec.rb) judges every key through Hoist::ContainerConfig, these the aliases alone.
{
  'Hoist::Size' => [['512m', '1g', '1G', '1073741824', '1b', '999999999g'], ['0', '1.5g', '512mb', '1000000000g', '', '-1']],
  'Hoist::CpuSet' => [['0', '0-3,6'], ['0-', '01', '']],
  'Hoist::User' => [['nobody', '1000', '1000:1000', 'www-data:staff'], ['1000:', 'a:b:c', '01', '']],
  'Hoist::Group' => [['audio', '1001'], ['a:b', '']],
  'Hoist::Hostname' => [['web-1', 'web.example.com'], ['-web', 'web_1', '', 'a' * 64]],
  'Hoist::IpAddress' => [['192.0.2.53', '2001:db8::53', '::1'], ['192.0.2.256', '[::1]', 'dns.example.com']],
  'Hoist::Domain' => [['example.com', 'svc'], ['example..com', '']],
  'Hoist::ExtraHost' => [['db:192.0.2.5', 'db6:2001:db8::5', 'gw:host-gateway'], ['db=192.0.2.5', ':192.0.2.5', 'db:[::1]']],
  'Hoist::LabelKey' => [['team', 'com.example.tier', 'app.kubernetes.io/name', 'io.choria.hoist'],
                        ['io.choria.hoist.managed', 'io.choria.hoist.x', '', '.team', 'te am']],
  'Hoist::LogDriver' => [['json-file', 'syslog', 'journald', 'none', 'loki'], ['JSON-FILE', 'org/plugin:latest', '']],
  'Hoist::LogOptKey' => [['max-size', 'syslog-facility'], ['max size', '']],
  'Hoist::Capability' => [['ALL', 'NET_ADMIN', 'CAP_SYS_TIME'], ['CAP_ALL', 'net_admin', 'NET_ADMINX']],
  'Hoist::Tmpfs' => [['/run', '/tmp:rw,noexec,size=64m'], ['run', '/run:', '/run:a,']],
  'Hoist::Ulimit' => [['nofile=1024:4096', 'core=0', 'memlock=-1:-1'], ['files=1', 'nofile=1024:', 'nofile=-2']],
  'Hoist::Device' => [['/dev/fuse', '/dev/a:/dev/b:rw', '/dev/sda:r'], ['dev/fuse', '/dev/fuse:rwx', '/a:/b:r:m']],
  'Hoist::Signal' => [['SIGQUIT', 'QUIT', 'SIGRTMIN+3', '9'], ['sigquit', '0', '100', '']],
  'Hoist::SysctlKey' => [['net.ipv4.ip_unprivileged_port_start', 'kernel.msgmax'], ['kernel', 'Net.ipv4.x', '']],
}.each do |type, (valid, invalid)|
  describe type do
    HoistSpec.type_cases(self, allowed: valid, refused: invalid)
  end
end
