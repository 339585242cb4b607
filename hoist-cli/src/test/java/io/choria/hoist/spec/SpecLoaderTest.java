package io.choria.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.choria.hoist.HoistException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
    @TempDir Path tmp;

    private Path write(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("container.json"), "{\"name\": \"" + name + "\", \"image\": \"example/" + name + "\"}");
    }

    @Test
    void reads_container_json_in_the_machine_folder_it_runs_in() throws Exception {
        Path folder = tmp.resolve("elsewhere/hoist_web");
        write(folder, "web");
        SpecLoader loader = new SpecLoader(folder, tmp.resolve("store"));
        assertThat(loader.load("web", null).image()).isEqualTo("example/web");
    }

    @Test
    void falls_back_to_the_machine_store() throws Exception {
        write(tmp.resolve("store/hoist_db"), "db");
        SpecLoader loader = new SpecLoader(tmp.resolve("store/hoist_web"), tmp.resolve("store"));
        assertThat(loader.load("db", null).image()).isEqualTo("example/db");
    }

    @Test
    void unknown_container_is_bad_input() {
        SpecLoader loader = new SpecLoader(tmp, tmp.resolve("store"));
        assertThatThrownBy(() -> loader.load("nope", null)).isInstanceOf(HoistException.class)
                .hasMessageStartingWith("unknown container nope: no spec at ");
    }

    @Test
    void a_spec_for_another_container_is_refused() throws Exception {
        Path file = write(tmp.resolve("x"), "db");
        SpecLoader loader = new SpecLoader(tmp, tmp);
        assertThatThrownBy(() -> loader.load("web", file)).hasMessageEndingWith("spec is for container 'db', not 'web'");
    }
}
