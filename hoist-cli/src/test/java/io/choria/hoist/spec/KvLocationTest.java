package io.choria.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where a container's tag lives in the KV, for both layouts, and where the fleet's failure marker lives beside it. */
class KvLocationTest {
    static ContainerSpec spec(String json) {
        return SpecParser.parse(json, "container.json");
    }

    @Test
    void the_per_container_layout_is_bucket_HOIST_NAME_and_key_TAG() {
        KvLocation kv = spec("{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\", \"kv_update\": true}").kv();
        assertThat(kv.bucket()).isEqualTo("HOIST_weather");
        assertThat(kv.key()).isEqualTo("TAG");
        assertThat(kv.dataKey()).isEqualTo("TAG");
        assertThat(kv.stream()).isEqualTo("KV_HOIST_weather");
        assertThat(kv.failedMarker()).isEqualTo(new KvLocation("HOIST_weather", "TAG_failed"));
    }

    @Test
    void the_shared_layout_is_the_shared_bucket_and_key_container_NAME_tag() {
        KvLocation kv = spec("{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\", \"kv_update\": true, "
                + "\"kv_bucket\": \"HOIST\", \"kv_key\": \"container/weather/tag\"}").kv();
        assertThat(kv).isEqualTo(KvLocation.shared("HOIST", "weather"));
        assertThat(kv.dataKey()).isEqualTo("container/weather/tag");
        assertThat(kv.stream()).isEqualTo("KV_HOIST");
        assertThat(kv.failedMarker()).isEqualTo(new KvLocation("HOIST", "container/weather/tag_failed"));
    }
}
