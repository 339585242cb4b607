package io.choria.hoist.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.choria.hoist.docker.Engine;
import io.choria.hoist.docker.Engine.LocalImage;
import io.choria.hoist.spec.ContainerSpec;
import io.choria.hoist.spec.SpecParser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCleanerTest {
    static final String REPO = "reg:5000/a/web";
    @TempDir Path tmp;

    ContainerSpec spec(int keep) {
        return SpecParser.parse("{\"name\": \"web\", \"image\": \"" + REPO + "\", \"keep_images\": " + keep + "}", "t");
    }

    @Test
    void keeps_running_last_good_in_use_foreign_and_the_newest_keep_images_removes_the_rest() {
        Engine engine = mock(Engine.class);
        List<LocalImage> images = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            images.add(new LocalImage("id" + i, List.of(REPO + ":t" + i), List.of()));
        }
        images.add(new LocalImage("idx", List.of(REPO + ":mine"), List.of()));              // not pulled by hoist-cli
        images.add(new LocalImage("ido", List.of("other/repo:1"), List.of()));              // another repository
        images.add(new LocalImage("id8", List.of(), List.of(REPO + "@sha256:" + "8".repeat(64)))); // untagged, ours
        when(engine.images()).thenReturn(images);
        when(engine.imageIdsInUse()).thenReturn(Set.of("id7", "id2"));  // id7 runs, id2 an unrelated container's
        when(engine.removeImage(anyString())).thenReturn(true);
        ImageLedger ledger = ImageLedger.load(tmp.resolve(ImageLedger.FILE_NAME), m -> { });
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (String id : List.of("id1", "id8", "id2", "id3", "id4", "id5", "ido", "id6", "id7")) {
            ledger.pulled(id, REPO + ":x", t);
            t = t.plusSeconds(60);
        }
        ImageCleaner.Result r = new ImageCleaner(engine).clean(spec(2), "id7", "id6", ledger);
        // Candidates newest first: id5, id4 (kept: 2), id3, id8, id1 removed; id6 last good, id7 running, id2 in use.
        verify(engine).removeImage(REPO + ":t3");
        verify(engine).removeImage("id8");
        verify(engine).removeImage(REPO + ":t1");
        verify(engine, never()).removeImage(REPO + ":t4");
        verify(engine, never()).removeImage(REPO + ":t5");
        verify(engine, never()).removeImage(REPO + ":t2");
        verify(engine, never()).removeImage(REPO + ":t6");
        verify(engine, never()).removeImage(REPO + ":t7");
        verify(engine, never()).removeImage(REPO + ":mine");
        verify(engine, never()).removeImage("other/repo:1");
        verify(engine, never()).removeImage("ido");
        assertThat(r.before()).isEqualTo(9);
        assertThat(r.removed()).containsExactly("t3", "id8", "t1");
    }
}
