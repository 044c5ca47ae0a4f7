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
    void theDecodeShareSaysHowMuchOfTheLongRoundTheExtraTokensTook() {
        // llama.cpp, 1b shape, 16 sequences, 128-token prompts: 36.3 s and 41.3 s (mostly prefill).
        assertEquals(5.0 / 41.3, DecodeWindow.decodeShare(36.3, 41.3), 1e-12);
        assertTrue(DecodeWindow.decodeShare(36.3, 41.3) < DecodeWindow.RELIABLE_DECODE_SHARE);
        // Same shape, 32-token prompts and 128 new tokens: 17.3 s and 53.7 s.
        assertTrue(DecodeWindow.decodeShare(17.3, 53.7) > DecodeWindow.RELIABLE_DECODE_SHARE);
        assertTrue(Double.isNaN(DecodeWindow.decodeShare(200, 190)));
    }

    @Test
    void theShortRoundGeneratesAQuarter() {
        assertEquals(16, DecodeWindow.shortGen(64));
        assertEquals(2, DecodeWindow.shortGen(4));
    }

    @Test
    void theSteadyRateTimesOnlyTheStepsInWhichEverySequenceDecodes() {
        // A step every second from t = 10 s; prompts come in over three steps (A, B, then C get
        // their first token) and each sequence gets five tokens. Every sequence decodes from C's
        // first token (30 s) to A's last (50 s): two steps, three tokens each.
        long s = 1_000_000_000L;
        List<long[]> arrivals = List.of(
                new long[] {10 * s, 20 * s, 30 * s, 40 * s, 50 * s},
                new long[] {20 * s, 30 * s, 40 * s, 50 * s, 60 * s},
                new long[] {30 * s, 40 * s, 50 * s, 60 * s, 70 * s});
        DecodeWindow.Steady d = DecodeWindow.steady(arrivals);
        assertEquals(2, d.steps());
        assertEquals(3 * 2 / 20.0, d.tokensPerSecond(), 1e-12);
        assertEquals(3 / 10.0, d.medianStepTokensPerSecond(), 1e-12);
        // A slow prefill before the window changes nothing (the difference of two rounds would move).
        List<long[]> slowPrefill = List.of(
                new long[] {15 * s, 20 * s, 30 * s, 40 * s, 50 * s},
                new long[] {20 * s, 30 * s, 40 * s, 50 * s, 60 * s},
                new long[] {30 * s, 40 * s, 50 * s, 60 * s, 70 * s});
        assertEquals(d, DecodeWindow.steady(slowPrefill));
        // Steps of tokens 1 and 2 attend to P + 1 and P + 2 entries.
        assertEquals(128 + 1.5, DecodeWindow.steadyMeanContext(128, 2), 1e-12);
    }

    @Test
    void noStepWithEverySequenceGivesNoSteadyRate() {
        long s = 1_000_000_000L;
        assertTrue(Double.isNaN(DecodeWindow.steady(List.of(new long[] {1 * s, 2 * s}, new long[] {2 * s, 3 * s})).tokensPerSecond()));
        assertTrue(Double.isNaN(DecodeWindow.steady(List.of(new long[] {1 * s, 2 * s}, new long[0])).tokensPerSecond()));
        assertTrue(Double.isNaN(DecodeWindow.steady(List.of()).tokensPerSecond()));
    }

    @Test
    void llamaCppPairsOfRoundsBecomeRatesAndTheBuildComesFromItsLog() throws Exception {
        String json = "{\"pairs\":[{\"short_ms\":1000.0,\"long_ms\":4000.0},{\"short_ms\":1000.0,\"long_ms\":2500.0}]}";
        LlamaCppRunner.ParallelResult r = LlamaCppRunner.parseParallel(json,
                List.of("build: 4916 (c6af2161) with cc for x86_64-linux-gnu"), 64, 2, 16);
        assertEquals(16 * 48 / 3.0, r.decode()[0], 1e-9);
        assertEquals(16 * 48 / 1.5, r.decode()[1], 1e-9);
        assertEquals(3.0 / 4.0, r.decodeShare()[0], 1e-12);
        assertEquals(1.5 / 2.5, r.decodeShare()[1], 1e-12);
        assertEquals("4916 (c6af2161)", r.build());
        assertTrue(Double.isNaN(r.longestPhase()[0])); // no eval lines in this log
        assertEquals(json, r.rounds());
    }
}
