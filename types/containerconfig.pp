# @summary One container as `hoist::containers` describes it in Hiera, which `hoist::container` takes whole.
#
# Every key except `image` is optional. The contract is `schema/container-spec.v1.json` (its
# `$defs/hiera_entry`): each key, its pattern and its default are there and in README.md's key
# table, which is generated from it. A new key is one line here (CONTRIBUTING.md says what else).
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
    Optional[ensure]           => Enum['present', 'absent'],
    image                      => Hoist::Image,
    Optional[image_tag]        => Hoist::Tag,
    Optional[command]          => Hoist::ContainerCommand,
    Optional[entrypoint]       => Hoist::ContainerCommand,
    Optional[network]          => Hoist::Network,
    Optional[syslog]           => Boolean,
    Optional[environment]      => Array[Hoist::EnvVar],
    Optional[volumes]          => Array[Hoist::Volume],
    Optional[ports]            => Array[Hoist::Port],
    Optional[kv_update]        => Boolean,
    Optional[kv_layout]        => Hoist::KvLayout,
    Optional[kv_interval]      => Hoist::Duration,
    Optional[check_interval]   => Hoist::Duration,
    Optional[stop_timeout]     => Integer[0, 3600],
    Optional[restart_governor] => Hoist::Governor,
    Optional[update_governor]  => Hoist::Governor,
    Optional[keep_images]      => Integer[0, 100],
    Optional[image_poll]       => Hoist::Duration,
    Optional[min_image_age]    => Hoist::Period,
    Optional[restart_files]    => Array[Hoist::AbsolutePath],
    Optional[health_http]      => Hoist::HealthUrl,
    Optional[health_status]    => Integer[100, 599],
    Optional[health_tcp]       => Hoist::HealthTcp,
    Optional[health_command]   => Hoist::ContainerCommand,
    Optional[start_timeout]    => Hoist::Timeout,
    Optional[min_healthy_time] => Hoist::Period,
    Optional[register_ports]   => Array[Hoist::Registration],
}]
