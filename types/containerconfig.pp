# The type below is generated from schema/container-spec.v1.json (/$defs/hiera_entry)
# by harness/tools/contract.py types --write: change the schema, not the type. The doc comment is this file's.

# @summary One container as `hoist::containers` describes it in Hiera, which `hoist::container` takes whole.
#
# Every key except `image` is optional. The contract is `schema/container-spec.v1.json` (its
# `$defs/hiera_entry`): each key, its pattern and its default are there and in docs/spec.md's key
# table, which is generated from it, as this Struct is (`harness/tools/contract.py types --write`):
# a key's type is a `Hoist::` alias where one has its pattern, else written here inline.
#
# It cannot be called `Hoist::Container`: that name is the `hoist::container` resource type.
#
# @example The seed's basic container
#   hoist::containers:
#     weather:
#       image: example/weather
#       image_tag: v1
#       syslog: true
#       environment:
#         - WEATHER_API_KEY=c2..4a
#       volumes:
#         - /srv/weather/logs:/logs
#       ports:
#         - "8080:8080"
type Hoist::ContainerConfig = Struct[{
    Optional[ensure]             => Enum['present', 'absent'],
    image                        => Hoist::Image,
    Optional[image_tag]          => Hoist::Tag,
    Optional[command]            => Hoist::ContainerCommand,
    Optional[entrypoint]         => Hoist::ContainerCommand,
    Optional[network]            => Hoist::Network,
    Optional[syslog]             => Boolean,
    Optional[environment]        => Array[Hoist::EnvVar],
    Optional[volumes]            => Array[Hoist::Volume],
    Optional[ports]              => Array[Hoist::Port],
    Optional[kv_update]          => Boolean,
    Optional[kv_layout]          => Hoist::KvLayout,
    Optional[kv_interval]        => Hoist::Duration,
    Optional[check_interval]     => Hoist::Duration,
    Optional[stop_timeout]       => Integer[0, 3600],
    Optional[restart_governor]   => Hoist::Governor,
    Optional[update_governor]    => Hoist::Governor,
    Optional[keep_images]        => Integer[0, 100],
    Optional[image_poll]         => Hoist::Duration,
    Optional[min_image_age]      => Hoist::Period,
    Optional[restart_files]      => Array[Hoist::AbsolutePath],
    Optional[health_http]        => Hoist::HealthUrl,
    Optional[health_status]      => Integer[100, 599],
    Optional[health_tcp]         => Hoist::HealthTcp,
    Optional[health_command]     => Hoist::ContainerCommand,
    Optional[start_timeout]      => Hoist::Timeout,
    Optional[min_healthy_time]   => Hoist::Period,
    Optional[memory]             => Hoist::Size,
    Optional[memory_reservation] => Hoist::Size,
    Optional[memory_swap]        => Pattern[/\A(?:-1|(?:[1-9][0-9]{0,17}[bB]?|[1-9][0-9]{0,14}[kK]|[1-9][0-9]{0,11}[mM]|[1-9][0-9]{0,8}[gG]))\z/],
    Optional[cpus]               => Variant[Integer[1, 1024], Float[0.01, 1024]],
    Optional[cpuset]             => Hoist::CpuSet,
    Optional[pids_limit]         => Integer[1, 4194304],
    Optional[user]               => Hoist::User,
    Optional[group_add]          => Array[Hoist::Group],
    Optional[hostname]           => Hoist::Hostname,
    Optional[dns]                => Array[Hoist::IpAddress],
    Optional[dns_search]         => Array[Hoist::Domain],
    Optional[extra_hosts]        => Array[Hoist::ExtraHost],
    Optional[labels]             => Hash[Hoist::LabelKey, Pattern[/\A[^\x00]*\z/]],
    Optional[log_driver]         => Hoist::LogDriver,
    Optional[log_opts]           => Hash[Hoist::LogOptKey, Pattern[/\A[^\x00]*\z/]],
    Optional[cap_add]            => Array[Hoist::Capability],
    Optional[cap_drop]           => Array[Hoist::Capability],
    Optional[privileged]         => Boolean,
    Optional[read_only]          => Boolean,
    Optional[tmpfs]              => Array[Hoist::Tmpfs],
    Optional[ulimits]            => Array[Hoist::Ulimit],
    Optional[devices]            => Array[Hoist::Device],
    Optional[working_dir]        => Hoist::AbsolutePath,
    Optional[stop_signal]        => Hoist::Signal,
    Optional[init]               => Boolean,
    Optional[shm_size]           => Hoist::Size,
    Optional[sysctls]            => Hash[Hoist::SysctlKey, Pattern[/\A[^\n\x00]*\z/]],
    Optional[drain_time]         => Hoist::Period,
    Optional[register_ports]     => Array[Hoist::Registration],
}]
