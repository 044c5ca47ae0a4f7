package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Group early stop, continuation of a finished sample, stop strings. */
class RequestFeaturesTest {
    private static Engine open() {
        return Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults().withKv(KvOptions.defaults().withBudgetBytes(200L * 16 * 5 * 2 * 32 * 4)));
    }

    @Test
    void groupStopEndsTheRestOnceEnoughSamplesFinished() {
        Sampling sampling = Sampling.builder().temperature(1.0f).seed(11).build();
        Request.Builder b = Request.builder().prompt("Once upon a time").maxTokens(300).samples(8).sampling(sampling);
        try (Engine e = open()) {
            Generation g = e.generateAll(b.groupStop((finished, n) -> finished.size() >= 2).build());
            List<Integer> normal = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                if (g.samples().get(i).finishReason() != FinishReason.GROUP_STOP) normal.add(i);
            }
            assertEquals(2, normal.size(), "samples that finished on their own");
            for (int i : normal) {
                Completion alone = e.generate(Request.builder().prompt("Once upon a time").maxTokens(300)
                        .sampling(sampling.toBuilder().seed(11 + i).build()).build());
                assertArrayEquals(alone.tokenIds(), g.samples().get(i).tokenIds(), "sample " + i);
            }
            assertEquals(0, e.kvStats().usedBlocks());
        }
    }

    @Test
    void continuationReusesTheFinishedSamplesKvAndMatchesAFreshRun() {
        int[] toolOutput = {410, 300, 301, 302, 13};
        Completion first;
        Completion continued;
        long hits;
        try (Engine e = open()) {
            first = e.generate(Request.builder().prompt("Once upon a time").maxTokens(60).stopTokenIds().build());
            long before = e.kvStats().prefixHitTokens();
            continued = e.generate(Request.builder().continueFrom(first, toolOutput).maxTokens(40).stopTokenIds().build());
            hits = e.kvStats().prefixHitTokens() - before;
        }
        int earlier = first.promptTokenIds().length + first.tokenIds().length - 1; // positions that had KV
        assertEquals(earlier / 16 * 16, hits, "every full block of the finished sample is reused");
        try (Engine fresh = open()) {
            int[] prompt = continued.promptTokenIds();
            Completion expected = fresh.generate(Request.builder().promptTokens(prompt).maxTokens(40).stopTokenIds().build());
            assertArrayEquals(expected.tokenIds(), continued.tokenIds());
        }
    }

    @Test
    void stopStringEndsTheSampleAndIsNotEmitted() {
        try (Engine e = open()) {
            List<TokenEvent> events = new ArrayList<>();
            Completion c = e.generate(Request.builder().prompt("Once upon a time").maxTokens(100).stopTokenIds()
                    .stopStrings("Lily.", "never appears").build(), events::add);
            assertEquals(", there was a little girl named ", c.text());
            assertEquals("Lily.", c.stopString());
            assertEquals(FinishReason.STOP, c.finishReason());
            StringBuilder streamed = new StringBuilder();
            events.forEach(ev -> streamed.append(ev.text()));
            assertEquals(c.text(), streamed.toString());

            Completion none = e.generate(Request.builder().prompt("Once upon a time").maxTokens(12).stopTokenIds()
                    .stopStrings("zzz").build());
            assertNull(none.stopString());
            assertTrue(none.text().startsWith(", there was"));
            assertEquals(FinishReason.LENGTH, none.finishReason());
        }
    }
}
