package dev.euclid.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DecodeWindowTest {
    @Test
    void theDifferenceOfTwoRoundsCancelsTheirCommonPrefill() {
        // 48 sequences; 10 s of prefill in both rounds, then 0.5 s per decode step.
        double shortRound = 10 + 0.5 * 15, longRound = 10 + 0.5 * 63;
        assertEquals(48 / 0.5, DecodeWindow.rate(48, 16, 64, shortRound, longRound), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> DecodeWindow.rate(1, 16, 16, 1, 2));
        assertTrue(Double.isNaN(DecodeWindow.rate(48, 8, 32, 200, 190))); // a disturbed short round
    }

    @Test
    void meanContextIsThatOfTheExtraDecodeSteps() {
        // Prompt 128, short 16, long 64: the extra steps feed positions 143..190 and attend 144..191 entries.
        double sum = 0;
        for (int pos = 143; pos <= 190; pos++) sum += pos + 1;
        assertEquals(sum / 48, DecodeWindow.meanContext(128, 16, 64), 1e-9);
        assertEquals(16, DecodeWindow.shortGen(64));
        assertEquals(2, DecodeWindow.shortGen(4));
    }

    @Test
    void llamaCppPairsOfRoundsBecomeRatesAndTheBuildComesFromItsLog() throws Exception {
        String json = "{\"pairs\":[{\"short_ms\":1000.0,\"long_ms\":4000.0},{\"short_ms\":1000.0,\"long_ms\":2500.0}]}";
        LlamaCppRunner.ParallelResult r = LlamaCppRunner.parseParallel(json,
                List.of("build: 4916 (c6af2161) with cc for x86_64-linux-gnu"), 64, 2, 16);
        assertEquals(16 * 48 / 3.0, r.decode()[0], 1e-9);
        assertEquals(16 * 48 / 1.5, r.decode()[1], 1e-9);
        assertEquals("4916 (c6af2161)", r.build());
        assertTrue(Double.isNaN(r.longestPhase()[0])); // no eval lines in this log
        assertEquals(json, r.rounds());
    }
}
