package dev.euclid.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The heap-based merger must give exactly what the plain quadratic loop (run.c's) gives. */
class BpeMergerTest {

    @Test
    void matchesTheQuadraticLoopOnRandomRules() {
        Random random = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int alphabet = 2 + random.nextInt(4);
            Map<Long, Long> rules = new HashMap<>();
            int nextId = alphabet;
            int ruleCount = random.nextInt(12);
            for (int r = 0; r < ruleCount; r++) {
                int left = random.nextInt(nextId);
                int right = random.nextInt(nextId);
                // Few distinct priorities, so equal-priority ties are common.
                rules.putIfAbsent(((long) left << 32) | right, BpeMerger.rule(random.nextInt(4), nextId++));
            }
            BpeMerger.Rules lookup = (l, r) -> rules.getOrDefault(((long) l << 32) | r, BpeMerger.NONE);
            int[] symbols = new int[random.nextInt(40)];
            for (int i = 0; i < symbols.length; i++) {
                symbols[i] = random.nextInt(alphabet);
            }
            int[] expected = quadratic(symbols, lookup);
            int[] actual = symbols.clone();
            int count = BpeMerger.merge(actual, actual.length, lookup);
            assertArrayEquals(expected, Arrays.copyOf(actual, count), "input " + Arrays.toString(symbols));
        }
    }

    @Test
    void tiesGoToTheLeftmostPair() {
        BpeMerger.Rules aa = (l, r) -> l == 0 && r == 0 ? BpeMerger.rule(0, 1) : BpeMerger.NONE;
        int[] symbols = {0, 0, 0};
        assertEquals(2, BpeMerger.merge(symbols, 3, aa));
        assertArrayEquals(new int[] {1, 0}, Arrays.copyOf(symbols, 2));
    }

    @Test
    void shortInputsAreLeftAlone() {
        int[] one = {5};
        assertEquals(1, BpeMerger.merge(one, 1, (l, r) -> BpeMerger.rule(0, 9)));
        assertEquals(0, BpeMerger.merge(new int[0], 0, (l, r) -> BpeMerger.rule(0, 9)));
    }

    /** run.c's loop: scan every pair, merge the best (lowest priority, leftmost), repeat. */
    private static int[] quadratic(int[] input, BpeMerger.Rules rules) {
        int[] symbols = input.clone();
        int n = symbols.length;
        while (true) {
            int best = -1;
            long bestRule = BpeMerger.NONE;
            for (int i = 0; i + 1 < n; i++) {
                long r = rules.find(symbols[i], symbols[i + 1]);
                if (r != BpeMerger.NONE && (best < 0 || (r >>> 32) < (bestRule >>> 32))) {
                    best = i;
                    bestRule = r;
                }
            }
            if (best < 0) {
                return Arrays.copyOf(symbols, n);
            }
            symbols[best] = (int) bestRule;
            System.arraycopy(symbols, best + 2, symbols, best + 1, n - best - 2);
            n--;
        }
    }
}
