package io.choria.hoist.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Spec texts more than one test reads. */
public final class SpecFixtures {
    private SpecFixtures() {
    }

    /** specs/full.json: a spec that sets every key container.json may hold, each to a value other than its default. */
    public static String full() {
        try (InputStream in = SpecFixtures.class.getResourceAsStream("/specs/full.json")) {
            if (in == null) {
                throw new IllegalStateException("test resource /specs/full.json is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
