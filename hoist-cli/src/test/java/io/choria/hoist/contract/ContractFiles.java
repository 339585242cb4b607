package io.choria.hoist.contract;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The container contract's files, read from the repository root (the folder above hoist-cli):
 * schema/container-spec.v1.json and the shared corpus spec/fixtures/contract/values.yaml.
 */
final class ContractFiles {
    static final String SCHEMA = "schema/container-spec.v1.json";
    static final String CORPUS = "spec/fixtures/contract/values.yaml";

    private ContractFiles() {
    }

    /** The repository root: the nearest folder upwards from the working directory that holds the schema. */
    static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SCHEMA))) {
                return p;
            }
        }
        throw new IllegalStateException("no " + SCHEMA + " above " + Path.of("").toAbsolutePath());
    }

    static JsonObject schema() {
        try {
            return JsonParser.parseString(Files.readString(root().resolve(SCHEMA))).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The corpus rows, as snakeyaml reads them (strings, numbers, booleans, lists and maps). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows() {
        try {
            Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions()))
                    .load(Files.readString(root().resolve(CORPUS)));
            return (List<Map<String, Object>>) doc.get("rows");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resolves a schema node's {@code $ref} (a pointer into the schema, like {@code #/$defs/duration}). */
    static JsonObject resolve(JsonObject schema, JsonObject node) {
        JsonObject n = node;
        while (n.has("$ref")) {
            JsonObject target = schema;
            for (String part : n.get("$ref").getAsString().replaceFirst("^#/", "").split("/")) {
                target = target.getAsJsonObject(part);
            }
            n = target;
        }
        return n;
    }
}
