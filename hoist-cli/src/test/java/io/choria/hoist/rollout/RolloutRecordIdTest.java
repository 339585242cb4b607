package io.choria.hoist.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RolloutRecord.isId, by hand on check's path, gives the expression [a-z0-9]{1,32}'s verdict. */
class RolloutRecordIdTest {
    @Test
    void ids_as_the_expression_takes_them() {
        char[] alphabet = {'a', 'z', '0', '9', 'A', '-', ' ', '`', '{', '/', ':', '\u00e9'};
        List<String> samples = new ArrayList<>(List.of("", "a".repeat(32), "a".repeat(33), "0".repeat(31) + "z", "abc123"));
        List<String> tails = new ArrayList<>(List.of(""));
        for (int length = 1; length <= 3; length++) {
            List<String> next = new ArrayList<>();
            for (String t : tails) {
                for (char c : alphabet) {
                    next.add(t + c);
                }
            }
            tails = next;
            samples.addAll(tails);
        }
        for (String s : samples) {
            assertThat(RolloutRecord.isId(s)).as("'%s'", s).isEqualTo(s.matches("[a-z0-9]{1,32}"));
        }
        assertThat(RolloutRecord.parse("{\"id\": \"r1\", \"tag\": \"v2\"}")).isPresent();
        assertThat(RolloutRecord.parse("{\"id\": \"R1\", \"tag\": \"v2\"}")).isEmpty();
    }
}
