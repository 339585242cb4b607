package io.choria.hoist.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.choria.hoist.rollout.RolloutPolicy.Decision;
import io.choria.hoist.rollout.RolloutPolicy.Facts;
import io.choria.hoist.rollout.RolloutPolicy.KvValue;
import io.choria.hoist.rollout.RolloutPolicy.Rollback;
import io.choria.hoist.rollout.RolloutPolicy.Source;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.KvLocation;
import io.choria.hoist.spec.SpecParser;
import io.choria.hoist.spec.WatcherData;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rollout policy, rule by rule (see {@link RolloutPolicy}): every row of the behaviour that check,
 * start, update, status and tag share. In the tables {@code -} is "absent" and {@code ''} an empty value.
 */
class RolloutPolicyTest {
    static final String PER_CONTAINER = "{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\", \"kv_update\": true}";
    static final String SHARED = "{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\", \"kv_update\": true, "
            + "\"kv_bucket\": \"HOIST\", \"kv_key\": \"container/weather/tag\"}";
    static final String KV_OFF = "{\"name\": \"weather\", \"image\": \"example/weather\", \"image_tag\": \"v1\"}";
    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    static ContainerSpec spec(String json) {
        return SpecParser.parse(json, "container.json");
    }

    /** Machine data as Choria's kv watchers keep it (bucket_prefix false): the tag key and its marker. */
    static WatcherData data(String tag, String marker) {
        return WatcherData.empty().with("TAG", tag).with("TAG_failed", marker);
    }

    static Decision decide(ContainerSpec spec, WatcherData data, String running, String failed, String lastGood) {
        return RolloutPolicy.decide(spec, Facts.of(spec, data, running, failed, lastGood));
    }

    @Nested
    class TheDesiredTag {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # rule                                                   | kv_update | KV value   | marker | running | failed here | last good | tag    | source   | warning
            1: kv_update off: image_tag, whatever the KV holds       | false     | v2         | -      | -       | -           | -         | v1     | spec     | -
            1: kv_update off: the marker names only KV tags          | false     | -          | v1     | v2      | -           | v2        | v1     | spec     | -
            1: the key not set: image_tag                            | true      | -          | -      | -       | -           | -         | v1     | spec     | -
            1: deleted while v2 runs: back to image_tag              | true      | -          | -      | v2      | -           | v2        | v1     | spec     | -
            1: an empty value is not set, without a warning          | true      | ''         | -      | v2      | -           | -         | v1     | spec     | -
            1: a blank value is not set                              | true      | '  '       | -      | v2      | -           | -         | v1     | spec     | -
            1: not set: the marker names only KV tags                | true      | -          | v1     | v0      | -           | v0        | v1     | spec     | -
            2: a valid KV value wins                                 | true      | v2         | -      | v1      | -           | v1        | v2     | kv       | -
            2: surrounding whitespace is trimmed, as Choria does     | true      | ' v2 '     | -      | v3      | -           | -         | v2     | kv       | -
            2: a digest is a tag                                     | true      | sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | - | - | - | - | sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | kv | -
            3: refused: the running tag stays                        | true      | v2 rm      | -      | v3      | -           | -         | v3     | running  | ignoring the KV value of HOIST_weather/TAG: 'v2 rm' is not a valid tag (expects [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} or sha256:<64 hex>); keeping the running tag v3
            3: refused, nothing running: image_tag                   | true      | v2 rm      | -      | -       | -           | -         | v1     | spec     | ignoring the KV value of HOIST_weather/TAG: 'v2 rm' is not a valid tag (expects [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} or sha256:<64 hex>); using image_tag v1
            3: refused: the running tag stays even when it failed    | true      | v2 rm      | v3     | v3      | v3          | v2        | v3     | running  | ignoring the KV value of HOIST_weather/TAG: 'v2 rm' is not a valid tag (expects [A-Za-z0-9_][A-Za-z0-9_.-]{0,127} or sha256:<64 hex>); keeping the running tag v3
            3+4: refused, nothing running, image_tag failed here     | true      | v2 rm      | -      | -       | v1          | v0        | v0     | rollback | tag v1 failed to become healthy on this node; staying on v0 until the desired tag changes
            4: failed here: the last good tag                        | true      | v3         | -      | v3      | v3          | v2        | v2     | rollback | tag v3 failed to become healthy on this node; staying on v2 until the desired tag changes
            4: failed here, no last good: the running tag            | true      | v3         | -      | v2      | v3          | -         | v2     | rollback | tag v3 failed to become healthy on this node; staying on v2 until the desired tag changes
            4: failed here, nothing else to run: the tag itself      | true      | v3         | -      | -       | v3          | -         | v3     | kv       | -
            4: failed here, it is the last good one: the tag itself  | true      | v3         | -      | v3      | v3          | v3        | v3     | kv       | -
            4: image_tag failed here: the last good tag              | false     | -          | -      | -       | v1          | v0        | v0     | rollback | tag v1 failed to become healthy on this node; staying on v0 until the desired tag changes
            4: marked by another node: the last good tag             | true      | v3         | v3     | v2      | -           | v2        | v2     | rollback | tag v3 is marked failed in HOIST_weather/TAG_failed by another node; staying on v2 until the desired tag changes
            4: marked, no last good here: the running tag            | true      | v3         | v3     | v2      | -           | -         | v2     | rollback | tag v3 is marked failed in HOIST_weather/TAG_failed by another node; staying on v2 until the desired tag changes
            4: marked, nothing else to run: the tag itself           | true      | v3         | v3     | -       | -           | -         | v3     | kv       | -
            4: the marker is trimmed too                             | true      | v3         | ' v3 ' | v2      | -           | v2        | v2     | rollback | tag v3 is marked failed in HOIST_weather/TAG_failed by another node; staying on v2 until the desired tag changes
            4: failed here and marked: this node's failure is named  | true      | v3         | v3     | v2      | v3          | v2        | v2     | rollback | tag v3 failed to become healthy on this node; staying on v2 until the desired tag changes
            4: the desired tag moved on: it is tried                 | true      | v4         | v3     | v2      | v3          | v2        | v4     | kv       | -
            4: a marker of another tag does not matter               | true      | v4         | v3     | v2      | -           | v2        | v4     | kv       | -
            """)
        void follows_the_rules(String rule, boolean kvUpdate, String kv, String marker, String running, String failed, String lastGood,
                String tag, String source, String warning) {
            ContainerSpec s = spec(kvUpdate ? PER_CONTAINER : KV_OFF);
            Decision d = decide(s, data(kv, marker), running, failed, lastGood);
            assertThat(d.tag()).as("tag").isEqualTo(tag);
            assertThat(d.source()).as("source").hasToString(source);
            assertThat(d.warning()).as("warning").isEqualTo(warning);
            assertThat(d.reason()).as("reason").isNotBlank().doesNotContain("\n");
            if (warning != null) {
                assertThat(d.reason()).as("the reason of a warned decision is its warning").isEqualTo(warning);
            }
        }

        @Test
        void the_reason_says_which_rule_gave_the_tag() {
            assertThat(decide(spec(KV_OFF), data("v2", null), null, null, null).reason()).isEqualTo("image_tag (kv_update is off)");
            assertThat(decide(spec(PER_CONTAINER), data(null, null), null, null, null).reason())
                    .isEqualTo("HOIST_weather/TAG is not set, so image_tag applies");
            assertThat(decide(spec(PER_CONTAINER), data("v2", null), null, null, null).reason()).isEqualTo("HOIST_weather/TAG holds v2");
            assertThat(decide(spec(PER_CONTAINER), data("v3", null), null, "v3", null).reason())
                    .isEqualTo("HOIST_weather/TAG holds v3; it failed to become healthy on this node, but there is no other tag to run");
        }

        @Test
        void a_digest_makes_a_digest_reference() {
            ContainerSpec s = spec(PER_CONTAINER);
            assertThat(s.imageRef(decide(s, data(DIGEST, null), null, null, null).tag())).isEqualTo("example/weather@" + DIGEST);
        }
    }

    @Nested
    class WhereTheValuesAre {
        @Test
        void the_shared_layout_reads_its_own_key_and_marker() {
            ContainerSpec s = spec(SHARED);
            WatcherData d = WatcherData.empty().with("container/weather/tag", "v3").with("container/weather/tag_failed", "v3");
            Decision decided = decide(s, d, "v2", null, "v2");
            assertThat(decided.tag()).isEqualTo("v2");
            assertThat(decided.warning()).contains("is marked failed in HOIST/container/weather/tag_failed by another node");
            assertThat(decide(s, WatcherData.of("container/weather/tag", "v2"), null, null, null))
                    .extracting(Decision::tag, Decision::source).containsExactly("v2", Source.KV);
        }

        @Test
        void another_layouts_keys_and_other_containers_keys_are_ignored() {
            assertThat(decide(spec(PER_CONTAINER), WatcherData.of("container/weather/tag", "v2"), null, null, null).tag()).isEqualTo("v1");
            assertThat(decide(spec(SHARED), WatcherData.of("TAG", "v2").with("container/other/tag", "v3"), null, null, null).tag())
                    .isEqualTo("v1");
        }

        @Test
        void the_bucket_prefixed_key_is_not_read() {
            // bucket_prefix true would store HOIST_weather_TAG; Puppet's watcher sets it false.
            assertThat(decide(spec(PER_CONTAINER), WatcherData.of("HOIST_weather_TAG", "v2"), null, null, null).tag()).isEqualTo("v1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"tag\": \"v2\"}", "[\"v2\"]", "[]", "{}"})
        void json_choria_parsed_from_braces_or_brackets_is_refused(String json) {
            WatcherData d = WatcherData.parse("{\"TAG\": " + json + "}", "test");
            Decision decided = decide(spec(PER_CONTAINER), d, "v3", null, null);
            assertThat(decided.tag()).isEqualTo("v3");
            assertThat(decided.warning()).contains("is not a valid tag");
        }
    }

    @Nested
    class RefusedValues {
        static String[] bad() {
            return new String[] {"v2; rm -rf /", "v".repeat(200), "v 2", "$(reboot)", "../v2", "v2:latest", "-v2", "sha256:abc",
                "example/weather:v2", "v2\nv3"};
        }

        @ParameterizedTest
        @MethodSource("bad")
        void keep_the_running_tag_with_one_warning_line(String value) {
            Decision d = decide(spec(PER_CONTAINER), data(value, null), "v3", null, null);
            assertThat(d).extracting(Decision::tag, Decision::source).containsExactly("v3", Source.RUNNING);
            assertThat(d.warning()).contains("ignoring the KV value of HOIST_weather/TAG").contains("is not a valid tag")
                    .contains("keeping the running tag v3").doesNotContain("\n");
        }

        @ParameterizedTest
        @MethodSource("bad")
        void use_image_tag_when_nothing_runs(String value) {
            Decision d = decide(spec(SHARED), WatcherData.of("container/weather/tag", value), null, null, null);
            assertThat(d).extracting(Decision::tag, Decision::source).containsExactly("v1", Source.SPEC);
            assertThat(d.warning()).contains("HOIST/container/weather/tag").contains("using image_tag v1");
        }

        @ParameterizedTest
        @MethodSource("bad")
        void are_refused_alike_wherever_they_are_read(String value) {
            KvValue v = KvValue.of(value);
            assertThat(v.tag()).isNull();
            assertThat(v.isSet()).isTrue();
            assertThat(decide(spec(PER_CONTAINER), data(value, null), "v3", null, null).warning()).contains(v.refusal());
        }

        @Test
        void a_200_character_value_is_shortened_in_the_warning() {
            assertThat(decide(spec(PER_CONTAINER), data("v".repeat(200), null), null, null, null).warning())
                    .contains("...(200 chars)").hasSizeLessThan(300);
        }

        @Test
        void control_characters_are_escaped_in_the_warning() {
            JsonObject o = new JsonObject();
            o.addProperty("TAG", "v2\u001b[31m\nv3");
            Decision d = decide(spec(PER_CONTAINER), WatcherData.parse(o.toString(), "test"), null, null, null);
            assertThat(d.warning()).contains("\\x1b").contains("\\x0a").doesNotContain("\u001b").doesNotContain("\n");
        }
    }

    @Nested
    class KvValues {
        @ParameterizedTest(name = "[{0}]")
        @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # as read       | tag  | refused
            -               | -    | false
            ''              | -    | false
            '   '           | -    | false
            v2              | v2   | false
            ' v2 '          | v2   | false
            sha256:abc      | -    | true
            v2:latest       | -    | true
            """)
        void are_not_set_a_tag_or_refused(String raw, String tag, boolean refused) {
            KvValue v = KvValue.of(raw);
            assertThat(v.tag()).isEqualTo(tag);
            assertThat(v.refusal() != null).isEqualTo(refused);
            assertThat(v.isSet()).isEqualTo(tag != null | refused);
        }

        @Test
        void a_value_read_from_the_kv_gets_the_same_verdict_as_the_machine_data() {
            for (String raw : new String[] {" v2\n", "", "v2 rm", "v2"}) {
                KvValue direct = KvValue.of(raw);
                Decision viaData = decide(spec(PER_CONTAINER), WatcherData.of("TAG", raw), null, null, null);
                assertThat(viaData.source() == Source.KV).as(raw).isEqualTo(direct.tag() != null);
            }
        }
    }

    @Nested
    class AfterAFailedStart {
        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # case                                               | tag | source   | last good | back to | mark the fleet
            a KV tag: back to the last good one, marked          | v3  | kv       | v2        | v2      | true
            image_tag: back to the last good one, not marked     | v1  | spec     | v0        | v0      | false
            the running tag kept on a refused value: not marked  | v3  | running  | v2        | v2      | false
            a rollback that fails stops there                    | v2  | rollback | v2        | -       | false
            a rollback to the running tag that fails stops there | v2  | rollback | v1        | -       | false
            nothing good here yet: stop                          | v3  | kv       | -         | -       | false
            the last good tag itself failed: stop                | v3  | kv       | v3        | -       | false
            """)
        void goes_back_to_the_last_good_tag_once(String why, String tag, String source, String lastGood, String backTo, boolean mark) {
            Decision failed = new Decision(tag, Source.valueOf(source.toUpperCase(java.util.Locale.ROOT)), "r", null);
            Optional<Rollback> r = RolloutPolicy.afterFailedStart(failed, lastGood);
            assertThat(r.map(Rollback::tag).orElse(null)).isEqualTo(backTo);
            assertThat(r.map(Rollback::markFleet).orElse(false)).isEqualTo(mark);
        }

        static final String A = "sha256:" + "a".repeat(64);

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # case                                                       | tag    | source   | last good | its digest | back to
            a moved tag that failed: back to the last good image's digest | latest | spec     | latest    | A          | A
            a moved KV tag: the same, the fleet not marked               | latest | kv       | latest    | A          | A
            the last good image is gone (no digest): stop                | latest | spec     | latest    | -          | -
            a rollback that fails stops there                            | latest | rollback | latest    | A          | -
            another last good tag: back to that tag, as before           | v3     | kv       | v2        | A          | v2
            the digest is the failed tag itself: stop                    | A      | spec     | A         | A          | -
            """)
        void goes_back_to_the_last_good_digest_when_the_tag_moved(String why, String tag, String source, String lastGood, String digest,
                String backTo) {
            String t = "A".equals(tag) ? A : tag;
            String good = "A".equals(lastGood) ? A : lastGood;
            Decision failed = new Decision(t, Source.valueOf(source.toUpperCase(java.util.Locale.ROOT)), "r", null);
            Optional<Rollback> r = RolloutPolicy.afterFailedStart(failed, good, "A".equals(digest) ? A : digest);
            assertThat(r.map(Rollback::tag).orElse(null)).isEqualTo("A".equals(backTo) ? A : backTo);
            if ("A".equals(backTo)) {
                assertThat(r.get().markFleet()).isFalse();
            }
        }

        @Test
        void a_start_that_passes_keeps_the_failed_tag_only_when_it_was_a_rollback() {
            assertThat(new Decision("v2", Source.ROLLBACK, "r", "w").isRollback()).isTrue();
            for (Source s : new Source[] {Source.KV, Source.SPEC, Source.RUNNING}) {
                assertThat(new Decision("v2", s, "r", null).isRollback()).as(s.toString()).isFalse();
            }
        }
    }

    @Nested
    class WhatIsSaid {
        @Test
        void check_repeats_a_refused_value_but_not_a_rollback() {
            Decision refused = decide(spec(PER_CONTAINER), data("v2 rm", null), "v3", null, null);
            assertThat(refused.checkWarning()).contains(refused.warning());
            Decision rollback = decide(spec(PER_CONTAINER), data("v3", null), "v2", "v3", "v2");
            assertThat(rollback.warning()).isNotNull();
            assertThat(rollback.checkWarning()).isEmpty();
            assertThat(decide(spec(PER_CONTAINER), data("v2", null), null, null, null).checkWarning()).isEmpty();
        }

        @Test
        void the_tag_command_says_what_applies_without_a_valid_value() {
            assertThat(RolloutPolicy.withoutKvValue(Optional.of(spec(PER_CONTAINER)))).isEqualTo("image_tag v1");
            assertThat(RolloutPolicy.withoutKvValue(Optional.empty())).isEqualTo("the spec's image_tag");
            assertThat(RolloutPolicy.onRefusedValue(Optional.of(spec(PER_CONTAINER)))).isEqualTo("keeps the running tag or image_tag v1");
        }

        @Test
        void sources_read_as_status_shows_them() {
            assertThat(Source.values()).extracting(Source::toString).containsExactly("kv", "spec", "running", "rollback", "rollout");
        }
    }

    @Nested
    class AnOperatorsWrite {
        @ParameterizedTest(name = "{0}/{1}")
        @CsvSource(delimiter = '|', textBlock = """
            # bucket      | key                    | marker cleared
            HOIST_weather | TAG                    | HOIST_weather/TAG_failed
            HOIST         | container/weather/tag  | HOIST/container/weather/tag_failed
            APPS          | web                    | APPS/web_failed
            """)
        void clears_the_fleets_marker_beside_the_key(String bucket, String key, String cleared) {
            assertThat(RolloutPolicy.markerClearedByWrite(new KvLocation(bucket, key))).hasToString(cleared);
        }

        @Test
        void the_marker_cleared_is_the_one_start_writes_and_check_reads() {
            ContainerSpec s = spec(SHARED);
            assertThat(RolloutPolicy.markerClearedByWrite(s.kv())).isEqualTo(s.kv().failedMarker());
        }
    }
}
