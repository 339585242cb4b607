package io.choria.hoist.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Each hand matcher of {@link Grammar} gives its regular expression's verdict, value by value: on
 * every string of the shared corpus, every string of up to three characters over those the patterns
 * care most about, forms of each pattern built here, and many random edits of all of them. A
 * matcher may leave a value to the expression (UNSURE); then {@link Grammar#matches} asks it.
 */
class GrammarTest {
    /** The characters the patterns treat specially, a letter of each case, digits, and a few they refuse. */
    private static final char[] ALPHABET = {'a', 'f', 'h', 'm', 's', 'z', 'G', 'Z', '0', '1', '5', '9', '.', '_', '-', '/', ':',
        '[', ']', '%', '=', '@', '?', ' ', '\t', '\n', '\r', '\0', '\'', '"', '\\', '\u00e9', '\u0085'};
    /** Every string of up to three of these is a sample. */
    private static final char[] SHORT = {'a', 'h', 's', 'Z', '0', '1', '9', '.', '_', '-', '/', ':', '[', '=', '\n', '\0'};

    private static final List<String> FORMS = List.of(
            "web", "ab", "purge", "purger", "a", "web-1_x", "Web", "1web", "example/weather", "registry.example.com:5000/team/app",
            "localhost/app", "localhost:5000/app", "registry:5000/app", "Registry.Example.com/app", "a.b/c", "a_b/c__d/e---f",
            "a..b", "a___b", "a._b", "host", "net-1.x_y", "KEY=value", "_K1=v=w", "1K=v", "=v", "K=", "10s", "5m", "1h", "0s",
            "010s", "9999h", "99999h", "999999m", "99999999s", "999999999s", "1d", "s", "HOIST_web", "HOIST", "container/web/tag",
            "container/web/tag_failed", "a.b", "/", "//", "/etc/x", "/etc//x", "/a b", "/srv/logs:/logs", "/a:/b:ro", "/a:/b:rw",
            "/a:/b:rx", "/a:/b:", "/:/", "a:/b", "/a:b", "v1", "latest", "_x", ".x", "-x", "sha256:" + "a".repeat(64),
            "sha256:" + "A".repeat(64), "sha256:" + "a".repeat(63), "x".repeat(128), "x".repeat(129), "8080", "0", "65535", "65536",
            "08080", "127.0.0.1:8080", "localhost:1", "[::1]:90", "[::2]:90", "127.0.0.2:80", "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/", "http://localhost:80/health?full=1", "http://[::1]:1/a%2Fb", "http://[::1]:1/a%2", "http://[::1]:1/%zz",
            "http://127.0.0.1:8080/a b", "http://127.0.0.1/x", "https://127.0.0.1:80", "8080:80", "8080:80/tcp", "8080:80/udp",
            "8080:80/sctp", "8080:80/xyz", "127.0.0.1:8080:80", "10.0.0.255:1:1/udp", "1.2.3:1:1", "1.2.3.4.5:1:1", "01.2.3.4:1:1",
            "256.1.1.1:1:1", "[::1]:80:80", "[::ffff:1.2.3.4]:80:80/udp", "[1:2:3:4:5:6:7:8]:1:2", ":80:80", "80:", ":80", "0:80",
            "sh -c 'exec httpd'", "  x", " \t\n", "a\\\nb", "\"a b\"", "'", "x\0y", "/bin/tini --", "");

    private static List<Grammar> grammars() {
        List<Grammar> all = new ArrayList<>();
        for (List<Grammar> gs : SpecParser.PATTERNS.values()) {
            for (Grammar g : gs) {
                if (g.handWritten() && !all.contains(g)) {
                    all.add(g);
                }
            }
        }
        return all;
    }

    /** Every string value of the shared corpus. */
    @SuppressWarnings("unchecked")
    private static List<String> corpus() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(root.resolve("spec/fixtures/contract/values.yaml"))) {
            root = root.getParent();
        }
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(root.resolve("spec/fixtures/contract/values.yaml")));
        List<String> out = new ArrayList<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) doc.get("rows")) {
            Object v = row.get("value");
            if (v instanceof String s) {
                out.add(s);
            } else if (v instanceof List<?> l) {
                for (Object item : l) {
                    if (item instanceof String s) {
                        out.add(s);
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> samples() throws IOException {
        Set<String> all = new LinkedHashSet<>(FORMS);
        all.addAll(corpus());
        List<String> shorter = new ArrayList<>(List.of(""));
        for (int length = 1; length <= 3; length++) {
            List<String> next = new ArrayList<>();
            for (String s : shorter) {
                for (char c : SHORT) {
                    next.add(s + c);
                }
            }
            all.addAll(next);
            shorter = next;
        }
        // Random edits (insert, delete, replace) of the forms and the corpus, a fixed seed.
        Random random = new Random(18);
        List<String> seeds = new ArrayList<>(FORMS);
        seeds.addAll(corpus());
        for (int i = 0; i < 20_000; i++) {
            StringBuilder b = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = b.length() == 0 ? 0 : random.nextInt(b.length());
                char c = ALPHABET[random.nextInt(ALPHABET.length)];
                switch (b.length() == 0 ? 0 : random.nextInt(3)) {
                    case 0 -> b.insert(at, c);
                    case 1 -> b.deleteCharAt(at);
                    default -> b.setCharAt(at, c);
                }
            }
            all.add(b.toString());
        }
        return all;
    }

    @Test
    void each_hand_matcher_gives_its_expressions_verdict() throws IOException {
        Set<String> samples = samples();
        List<Grammar> grammars = grammars();
        assertThat(grammars).hasSize(18);
        for (Grammar g : grammars) {
            int yes = 0;
            int no = 0;
            int unsure = 0;
            for (String s : samples) {
                boolean regex = g.compiled().matcher(s).matches();
                int hand = g.hand(s);
                if (hand == Grammar.UNSURE) {
                    unsure++;
                } else {
                    assertThat(hand == Grammar.YES).as("%s by hand on '%s'", g.pattern(), Tags.printable(s)).isEqualTo(regex);
                    yes += regex ? 1 : 0;
                    no += regex ? 0 : 1;
                }
                assertThat(g.matches(s)).as("%s on '%s'", g.pattern(), Tags.printable(s)).isEqualTo(regex);
            }
            // Each matcher answered both ways, and decided most values itself: the loop compared something.
            assertThat(yes).as("values %s accepted by hand", g.pattern()).isGreaterThan(2);
            assertThat(no).as("values %s refused by hand", g.pattern()).isGreaterThan(2);
            assertThat(unsure).as("values %s left to the expression", g.pattern()).isLessThan(samples.size() / 3);
        }
    }

    @Test
    void leaves_only_bracketed_ports_and_quoted_or_escaped_command_strings_to_the_expression() {
        assertThat(SpecParser.PORTS.hand("[::1]:80:80")).isEqualTo(Grammar.UNSURE);
        assertThat(SpecParser.PORTS.hand("127.0.0.1:80:80/udp")).isEqualTo(Grammar.YES);
        assertThat(SpecParser.WORDS.hand("sh -c 'exec httpd'")).isEqualTo(Grammar.UNSURE);
        assertThat(SpecParser.WORDS.hand("httpd -f -p 8080")).isEqualTo(Grammar.YES);
        assertThat(SpecParser.IMAGE.hand("registry.example.com:5000/team/app")).isEqualTo(Grammar.YES);
    }
}
