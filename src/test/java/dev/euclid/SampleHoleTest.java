package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Samples of one prompt leave a hole after the prompt's shared, partially filled last block (see
 * SequenceBlocks): what reads and writes K/V around the hole — continuation through the prefix
 * cache, draft trees whose accepted K/V moves, preemption and recompute — keeps every token exactly
 * what it is without the hole.
 */
class SampleHoleTest {
    // 25 tokens with BOS: one full block of 16 and 9 prompt positions in the shared block, so two or
    // more samples leave a 7-slot hole rather than copying 9 positions each.
    private static final String PROMPT = "Tom and his dog went to the park to play with a big red ball. They";
    // 29 tokens: 13 positions in the shared block.
    private static final String OTHER = "One day, a little boy named Tim went to the park with his mom. He saw a big tree";

    private static Engine open(KvType type, long blocks) {
        return Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"), EngineOptions.defaults()
                .withKv(KvOptions.defaults().withType(type).withBudgetBytes(blocks * blockBytes(type)))
                .withSpeculativeStepTokens(64));
    }

    private static long blockBytes(KvType type) {
        try (Engine probe = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"),
                EngineOptions.defaults().withKv(KvOptions.defaults().withType(type)))) {
            return probe.kvStats().bytesPerToken() * 16;
        }
    }

    private static Request.Builder samples(String prompt, int n, int seed) {
        return Request.builder().prompt(prompt).maxTokens(60).samples(n).stopTokenIds().logprobs(true)
                .sampling(Sampling.builder().temperature(0.9f).topP(0.95f).seed(seed).build());
    }

    private static void assertAllBlocksReleased(Engine e) {
        KvStats s = e.kvStats();
        assertEquals(0, s.usedBlocks(), "blocks still referenced: " + s);
        assertEquals(s.totalBlocks(), s.freeBlocks() + s.cachedBlocks(), s.toString());
    }

    @Test
    void aContinuedSampleReusesTheSharedBlockAndItsOwnBlocksAfterTheHole() {
        int[] toolOutput = {400, 401, 402, 403, 404};
        Completion sample;
        Request continuation;
        Completion reused;
        long hits;
        try (Engine e = open(KvType.FP32, 64)) {
            Generation g = e.generateAll(samples(PROMPT, 4, 9).maxTokens(40).build());
            sample = g.samples().get(2);
            assertEquals(25, sample.promptTokenIds().length);
            assertEquals(40, sample.tokenIds().length);
            continuation = Request.builder().continueFrom(sample, toolOutput).maxTokens(30).stopTokenIds().build();
            long before = e.kvStats().prefixHitTokens();
            reused = e.generate(continuation);
            hits = e.kvStats().prefixHitTokens() - before;
            assertAllBlocksReleased(e);
        }
        // The sample held positions 0-63 (its 40th token was sampled, not fed): block 0 (0-15), the
        // shared block (16-24, then the hole), its own blocks 25-40 and 41-56, and 57-63 in a partial
        // block that was never cached. The continuation finds all but that partial block.
        assertEquals(57, hits);
        try (Engine fresh = open(KvType.FP32, 64)) {
            assertArrayEquals(fresh.generate(continuation).tokenIds(), reused.tokenIds());
        }
    }

    @ParameterizedTest(name = "{0} KV")
    @EnumSource(KvType.class)
    void draftTreesAndPreemptionAcrossTheHoleKeepEveryToken(KvType type) {
        String[] prompts = {PROMPT, OTHER};
        int[] seeds = {21, 22};
        // Each sample run alone from scratch, with the seed it has in its group: no hole, no drafts.
        List<List<Completion>> alone = new ArrayList<>();
        List<int[]> known = new ArrayList<>();
        try (Engine e = open(type, 64)) {
            for (int i = 0; i < prompts.length; i++) {
                List<Completion> group = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    Completion c = e.generate(samples(prompts[i], 1, seeds[i] + s).build());
                    group.add(c);
                    int[] full = Arrays.copyOf(c.promptTokenIds(), c.promptTokenIds().length + c.tokenIds().length);
                    System.arraycopy(c.tokenIds(), 0, full, c.promptTokenIds().length, c.tokenIds().length);
                    known.add(full);
                }
                alone.add(group);
            }
        }
        // 24 blocks: each group of 4 ends up holding 2 + 4 x 4 (and is admitted, as it needs at most
        // 22 with any layout), so the two together preempt the newer one. The proposer hides each
        // sample's own continuation as the second beam: accepted K/V moves from tree slots past the
        // hole to the sample's slots.
        try (Engine e = open(type, 24)) {
            List<RequestHandle> handles = new ArrayList<>();
            for (int i = 0; i < prompts.length; i++) {
                handles.add(e.submit(samples(prompts[i], 4, seeds[i])
                        .speculation(Speculation.proposer(DraftTreeVerificationTest.hidingProposer(known), 4)).build()));
            }
            for (int i = 0; i < handles.size(); i++) {
                Generation g = handles.get(i).result().join();
                for (int s = 0; s < g.samples().size(); s++) {
                    Completion want = alone.get(i).get(s), got = g.samples().get(s);
                    assertArrayEquals(want.tokenIds(), got.tokenIds(), "request " + i + " sample " + s);
                    assertArrayEquals(want.logprobs(), got.logprobs(), 0f, "request " + i + " sample " + s);
                }
            }
            assertTrue(e.metrics().preemptions() > 0, "no request was preempted");
            assertTrue(e.metrics().meanTokensPerVerification() > 2.0, "tokens per step " + e.metrics().meanTokensPerVerification());
            assertAllBlocksReleased(e);
        }
    }
}
