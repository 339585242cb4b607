package io.choria.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.ExitCode;
import io.choria.hoist.HoistException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WATCHER_DATA: the machine data file a Choria exec watcher hands hoist-cli. */
class WatcherDataTest {
    @TempDir Path dir;

    WatcherData data(String json) throws IOException {
        return WatcherData.read(Files.writeString(dir.resolve("data.json"), json));
    }

    @Test
    void reads_the_value_stored_under_a_key() throws IOException {
        assertThat(data("{\"TAG\": \"v2\", \"container/weather/tag\": \"v3\"}").value("TAG")).contains("v2");
        assertThat(data("{\"TAG\": \"v2\", \"container/weather/tag\": \"v3\"}").value("container/weather/tag")).contains("v3");
    }

    @Test
    void trims_values_as_choria_does() throws IOException {
        assertThat(data("{\"TAG\": \"  v2\\n\"}").value("TAG")).contains("v2");
    }

    @Test
    void a_missing_null_or_empty_value_is_absent() throws IOException {
        WatcherData d = data("{\"OTHER\": \"v2\", \"NULL\": null, \"EMPTY\": \"\", \"BLANK\": \"   \"}");
        assertThat(d.value("TAG")).isEmpty();
        assertThat(d.value("NULL")).isEmpty();
        assertThat(d.value("EMPTY")).isEmpty();
        assertThat(d.value("BLANK")).isEmpty();
    }

    @Test
    void values_choria_parsed_as_json_come_back_as_their_json_text() throws IOException {
        WatcherData d = data("{\"OBJ\": {\"tag\": \"v2\"}, \"LIST\": [\"v2\"], \"NUM\": 2, \"BOOL\": true}");
        assertThat(d.value("OBJ")).contains("{\"tag\":\"v2\"}");
        assertThat(d.value("LIST")).contains("[\"v2\"]");
        assertThat(d.value("NUM")).contains("2");
        assertThat(d.value("BOOL")).contains("true");
    }

    @Test
    void an_empty_or_blank_file_holds_no_data() throws IOException {
        assertThat(data("").value("TAG")).isEmpty();
        assertThat(data(" \n").value("TAG")).isEmpty();
    }

    @Test
    void unset_or_empty_environment_means_no_data() {
        assertThat(WatcherData.fromEnvironment(null).value("TAG")).isEmpty();
        assertThat(WatcherData.fromEnvironment("").value("TAG")).isEmpty();
    }

    @Test
    void a_missing_file_is_bad_input() {
        assertThatThrownBy(() -> WatcherData.fromEnvironment(dir.resolve("gone.json").toString()))
                .isInstanceOf(HoistException.class)
                .hasMessageContaining("cannot be read")
                .satisfies(e -> assertThat(((HoistException) e).exitCode()).isEqualTo(ExitCode.BAD_INPUT));
    }

    @Test
    void malformed_json_or_not_an_object_is_bad_input() {
        assertThatThrownBy(() -> data("{\"TAG\": ")).isInstanceOf(HoistException.class).hasMessageContaining("is not valid JSON");
        assertThatThrownBy(() -> data("[\"v2\"]")).isInstanceOf(HoistException.class).hasMessageContaining("does not hold a JSON object");
        assertThatThrownBy(() -> data("\"v2\"")).isInstanceOf(HoistException.class).hasMessageContaining("does not hold a JSON object");
    }
}
