package io.choria.hoist.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** DockerHost.valid gives DockerHost.HOST's verdict: on the forms, every short tail, and random edits. */
class DockerHostTest {
    private static final Pattern HOST = Pattern.compile(DockerHost.HOST);
    private static final char[] ALPHABET = {'a', '0', '9', '/', ':', '.', ' ', '\t', '\n', '\u000b', '\u0085', 'x'};

    @Test
    void matches_as_the_expression_does() {
        List<String> samples = new ArrayList<>(List.of("unix:///var/run/docker.sock", "unix:///a", "unix:///", "unix://", "unix://a",
                "unix:///a b", "tcp://127.0.0.1:2375", "tcp://docker:2375/", "tcp://docker", "tcp://docker/", "tcp://:2375",
                "tcp://docker:", "tcp://docker:123456", "tcp://docker:12345", "tcp://a/b", "tcp://a:1/b", "http://a", "",
                "unix:///a\n", "tcp://a\n", "ssh://a"));
        for (String prefix : List.of("unix://", "tcp://")) {
            List<String> tails = new ArrayList<>(List.of(""));
            for (int length = 1; length <= 4; length++) {
                List<String> next = new ArrayList<>();
                for (String t : tails) {
                    for (char c : ALPHABET) {
                        next.add(t + c);
                    }
                }
                tails = next;
                for (String t : tails) {
                    samples.add(prefix + t);
                }
            }
        }
        Random random = new Random(18);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder b = new StringBuilder(samples.get(random.nextInt(21)));
            int at = b.length() == 0 ? 0 : random.nextInt(b.length());
            b.insert(at, ALPHABET[random.nextInt(ALPHABET.length)]);
            samples.add(b.toString());
        }
        int accepted = 0;
        for (String s : samples) {
            boolean want = HOST.matcher(s).matches();
            assertThat(DockerHost.valid(s)).as("'%s'", s).isEqualTo(want);
            accepted += want ? 1 : 0;
        }
        assertThat(accepted).isBetween(10, samples.size() - 10);
    }
}
