package dev.euclid.internal.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Request;
import dev.euclid.Speculation;
import dev.euclid.Tokenizer;
import dev.euclid.internal.kv.BlockManager;
import dev.euclid.internal.sched.StepPlan.Outcome;
import dev.euclid.testing.SharedModels;
import dev.euclid.tokenizer.Llama2cTokenizer;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The plan half of the engine loop, without the native engine: what each step feeds (chunks of the
 * step's token budget, decode tokens first), who waits for blocks, who is preempted and comes back,
 * and how drafts share the step. Between plans the test applies results as the engine would:
 * computed positions are committed and every sample that reaches its next token gets token 7.
 */
class StepPlannerTest {
    private static final int BLOCK_TOKENS = 4;
    private static final int NEXT = 7;

    /** The planner and what it plans over: a pool of blocks and the request queue. */
    private static final class Harness {
        final BlockManager blocks;
        final RequestQueue requests;
        final SchedulerMetrics metrics = new SchedulerMetrics();
        final StepPlanner planner;
        final Tokenizer tokenizer;

        Harness(int totalBlocks, int maxTokensPerStep, int speculativeStepTokens) throws IOException {
            blocks = new BlockManager(totalBlocks, BLOCK_TOKENS, true);
            requests = new RequestQueue(blocks);
            Preemption preemption = new Preemption(blocks, requests, (src, dst) -> {}, metrics);
            planner = new StepPlanner(requests, new Admission(blocks), preemption,
                    new DraftPlanner(512, 512, speculativeStepTokens), maxTokensPerStep);
            tokenizer = Llama2cTokenizer.load(SharedModels.models().resolve("stories260K/tok512.bin"), 512);
        }

        RequestState submit(int[] prompt, int priority, Speculation speculation) {
            Request request = Request.builder().promptTokens(prompt).maxTokens(40).priority(priority).stopTokenIds()
                    .speculation(speculation).build();
            RequestState r = new RequestState(request, prompt, new int[0], 40, tokenizer, null, () -> {});
            requests.add(r);
            requests.takeIncoming();
            return r;
        }

        /** Plans a step, checks that its blocks are reserved, and applies it. */
        StepPlan step() {
            StepPlan plan = planner.plan();
            for (StepPlan.Entry e : plan.entries()) {
                int lastSlot = e.blocks().slot(e.from() + e.count() - 1);
                assertTrue(e.blocks().blockCount() >= BlockManager.blocksFor(lastSlot + 1, BLOCK_TOKENS),
                        "the blocks of " + e + " are not reserved");
                assertEquals(e.sequence().promptLength, e.historyFrom());
                SequenceState s = e.sequence();
                switch (e.outcome()) {
                    case PROMPT_CHUNK -> blocks.commit(s.blocks, s.tokens, e.from() + e.count());
                    case NEXT_TOKEN -> {
                        blocks.commit(s.blocks, s.tokens, e.from() + e.count());
                        s.accept(NEXT, 0f, java.util.List.of(), System.nanoTime());
                        s.request.forked = true; // one sample: nothing to fork
                    }
                    case VERIFY -> throw new AssertionError("this test applies no drafts");
                }
            }
            return plan;
        }
    }

    private static int[] prompt(int length, int first) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = first + i;
        return ids;
    }

    private static void assertEntry(StepPlan.Entry e, RequestState r, int from, int count, Outcome outcome) {
        assertSame(r, e.sequence().request);
        assertEquals(from, e.from(), "from");
        assertEquals(count, e.count(), "count");
        assertEquals(outcome, e.outcome());
        assertNull(e.draft());
        assertArrayEquals(Arrays.copyOfRange(e.sequence().tokens, from, from + count),
                Arrays.copyOfRange(e.tokens(), from, from + count));
    }

    @Test
    void promptsGoInChunksOfTheStepBudgetAndDecodeTokensGoFirst() throws IOException {
        Harness h = new Harness(64, 16, 4);
        RequestState a = h.submit(prompt(40, 100), 0, Speculation.off());
        StepPlan first = h.step();
        assertEquals(1, first.entries().size());
        assertEntry(first.entries().get(0), a, 0, 16, Outcome.PROMPT_CHUNK);
        assertThrows(UnsupportedOperationException.class, () -> first.entries().add(first.entries().get(0)));

        RequestState b = h.submit(prompt(10, 200), 0, Speculation.off());
        StepPlan second = h.step(); // the older prompt takes the whole budget
        assertEquals(1, second.entries().size());
        assertEntry(second.entries().get(0), a, 16, 16, Outcome.PROMPT_CHUNK);

        StepPlan third = h.step();
        assertEntry(third.entries().get(0), a, 32, 8, Outcome.NEXT_TOKEN);
        assertEquals(40, third.entries().get(0).draw()); // the first token lands on position 40
        assertEntry(third.entries().get(1), b, 0, 8, Outcome.PROMPT_CHUNK);

        StepPlan fourth = h.step();
        assertEntry(fourth.entries().get(0), a, 40, 1, Outcome.NEXT_TOKEN);
        assertEquals(41, fourth.entries().get(0).draw());
        assertEquals(NEXT, fourth.entries().get(0).tokens()[40]);
        assertEntry(fourth.entries().get(1), b, 8, 2, Outcome.NEXT_TOKEN);
        assertEquals(10, fourth.entries().get(1).draw());

        StepPlan fifth = h.step();
        assertEntry(fifth.entries().get(0), a, 41, 1, Outcome.NEXT_TOKEN);
        assertEntry(fifth.entries().get(1), b, 10, 1, Outcome.NEXT_TOKEN);
    }

    @Test
    void aRequestWaitsUntilItsPromptFitsTheFreeBlocks() throws IOException {
        Harness h = new Harness(6, 32, 4);
        RequestState a = h.submit(prompt(17, 100), 0, Speculation.off());
        h.step(); // 17 positions: 5 of the 6 blocks
        RequestState b = h.submit(prompt(5, 200), 0, Speculation.off());
        StepPlan waiting = h.step(); // b needs 2 blocks and a spare: 1 is free
        assertEquals(1, waiting.entries().size());
        assertEntry(waiting.entries().get(0), a, 17, 1, Outcome.NEXT_TOKEN);
        assertTrue(b.samples.isEmpty());
        assertEquals(1, h.requests.queued());

        h.requests.finish(a, null);
        assertTrue(a.result().isDone());
        StepPlan admitted = h.step();
        assertEquals(1, admitted.entries().size());
        assertEntry(admitted.entries().get(0), b, 0, 5, Outcome.NEXT_TOKEN);
        assertEquals(0, h.requests.queued());
    }

    @Test
    void theLowestPriorityRequestIsPreemptedAndRecomputedWithItsTokens() throws IOException {
        Harness h = new Harness(6, 32, 4);
        RequestState low = h.submit(prompt(9, 100), 0, Speculation.off());
        RequestState high = h.submit(prompt(9, 200), 1, Speculation.off());
        StepPlan first = h.step();
        assertEntry(first.entries().get(0), high, 0, 9, Outcome.NEXT_TOKEN); // priority first
        assertEntry(first.entries().get(1), low, 0, 9, Outcome.NEXT_TOKEN);
        for (int i = 0; i < 3; i++) assertEquals(2, h.step().entries().size()); // 12 positions each: all 6 blocks

        StepPlan full = h.step(); // high's next position needs a 4th block: low loses its 3
        assertEquals(1, full.entries().size());
        assertEntry(full.entries().get(0), high, 12, 1, Outcome.NEXT_TOKEN);
        SequenceState preempted = low.samples.get(0);
        assertNull(preempted.blocks);
        assertEquals(13, preempted.length); // its tokens stay
        assertEquals(1, h.metrics.snapshot(0, 0, null).preemptions());
        int[] tokens = Arrays.copyOf(preempted.tokens, 13);

        assertEquals(1, h.step().entries().size()); // 2 blocks evictable: too few to come back
        assertNull(preempted.blocks);
        h.requests.finish(high, null);
        StepPlan back = h.step();
        assertEquals(1, back.entries().size());
        StepPlan.Entry e = back.entries().get(0);
        assertSame(preempted, e.sequence());
        assertEquals(13, e.from() + e.count()); // recomputed to its last token, which samples the next
        assertEquals(Outcome.NEXT_TOKEN, e.outcome());
        assertEquals(13, e.draw());
        assertArrayEquals(tokens, Arrays.copyOf(e.tokens(), 13));
    }

    @Test
    void draftsShareTheStepsDraftTokens() throws IOException {
        int[] repeating = {1, 5, 6, NEXT, 5, 6, NEXT, 5, 6}; // after token 7 the last 3 tokens occurred before
        Harness alone = new Harness(64, 32, 4);
        RequestState r = alone.submit(repeating, 0, Speculation.promptLookup(5));
        alone.step();
        StepPlan.Entry e = alone.planner.plan().entries().get(0);
        assertEquals(Outcome.VERIFY, e.outcome());
        assertEquals(9, e.from()); // the root: the token sampled last step
        assertEquals(4, e.count()); // the root and 3 drafts: a step of 4 tokens
        assertEquals(10, e.draw());
        assertEquals(3, e.draft().size());
        for (int i = 1; i <= 3; i++) assertEquals(repeating[3 + i], e.draft().token(i));
        assertTrue(r.samples.get(0).blocks.blockCount() >= BlockManager.blocksFor(13, BLOCK_TOKENS));

        Harness two = new Harness(64, 32, 4);
        two.submit(repeating, 0, Speculation.promptLookup(5));
        two.submit(repeating, 0, Speculation.promptLookup(5));
        two.step();
        StepPlan shared = two.planner.plan();
        assertEquals(2, shared.entries().size());
        for (StepPlan.Entry each : shared.entries()) {
            assertEquals(Outcome.VERIFY, each.outcome());
            assertEquals(1, each.draft().size()); // (4 tokens - 2 roots) / 2 sequences
        }
    }
}
