package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.Generation;
import dev.euclid.KvOptions;
import dev.euclid.KvType;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.Speculation;
import dev.euclid.internal.kv.BlockManager;
import dev.euclid.internal.kv.SequenceBlocks;
import dev.euclid.internal.spec.DraftTree;
import dev.euclid.internal.spec.DrafterShape;
import dev.euclid.internal.spec.NativeDrafter;
import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.IntPointer;
import org.junit.jupiter.api.Test;

/**
 * A step allocates nothing on the native heap once the first steps have sized the buffers
 * (Workspace.h's promise), counted by the engine's operator new counter ({@code heap_allocations}):
 * the same mixed steps run twice to warm up, then a third time, counted.
 */
class StepAllocationTest {
    private static final Path MODEL = SharedModels.models().resolve("stories260K/stories260K.bin");
    /** Every sequence also reports alternatives, so the allocation count covers the sampler's top-k pass. */
    private static final int TOP_LOGPROBS = 5;

    @Test
    void theCounterSeesAllocationsOfTheEngineAndItsGlue() {
        NativeApi.load();
        long before = NativeApi.heap_allocations();
        try (IntPointer p = new IntPointer(16)) { // JavaCPP's glue allocates it with new[]
            assertTrue(NativeApi.heap_allocations() > before, "a native array allocation was not counted");
        }
    }

    /**
     * Steps that mix a chunked prefill with penalties, decoding samples of two prompts (one leaving
     * holes after the shared prompt block, one copying it), a branching draft tree whose accepted
     * branch moves, resampling for forked samples, and drafter proposals after every step.
     */
    @Test
    void mixedStepsAllocateNothingAfterWarmUp() {
        EngineOptions options = EngineOptions.defaults().withMaxTokensPerStep(64);
        ModelLoader.Loaded loaded = ModelLoader.open(MODEL, options);
        try (NativeModel model = loaded.model()) {
            long blockBytes = NativeApi.kv_bytes_per_block(model.checked(), 16, KvType.FP32.code());
            options = options.withKv(KvOptions.defaults().withBudgetBytes(96 * blockBytes));
            float[] weights = new float[new DrafterShape(model.info().dim(), model.info().vocabSize(), 1).weightCount()];
            SplittableRandom random = new SplittableRandom(3);
            for (int i = 0; i < weights.length; i++) weights[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
            try (KvRuntime runtime = new KvRuntime(model, options);
                    NativeDrafter drafter = NativeDrafter.create(model,
                            new DrafterShape(model.info().dim(), model.info().vocabSize(), 1), weights)) {
                MixedSteps script = new MixedSteps(runtime, drafter);
                script.run();
                script.run();
                long before = NativeApi.heap_allocations();
                int steps = script.run();
                long allocations = NativeApi.heap_allocations() - before;
                assertTrue(steps >= 12, steps + " steps");
                assertTrue(script.copies > 0 && script.holes > 0 && script.moves > 0 && script.mixedSteps > 0,
                        "the script missed a feature: " + script);
                assertEquals(0, allocations, allocations + " native allocations in " + steps + " steps after warm-up");
            }
        }
    }

    /**
     * The same through the public API: sequential requests (so every run schedules the same steps)
     * with samples, prompt-lookup speculation, penalties and chunked prefill.
     */
    @Test
    void engineRequestsAllocateNothingAfterWarmUp() {
        String prompt = "Once upon a time, there was a little girl named Lily. She loved to play with her ball in the park."
                + " One day, Lily saw a big dog.";
        List<Request> requests = List.of(
                Request.builder().prompt(prompt).maxTokens(40).samples(3).stopTokenIds()
                        .sampling(Sampling.builder().temperature(0.9f).topP(0.9f).seed(7).build()).build(),
                Request.builder().prompt(prompt + " Lily said").maxTokens(60).stopTokenIds()
                        .speculation(Speculation.promptLookup(4)).build(),
                Request.builder().prompt("Tom had a red ball.").maxTokens(30).stopTokenIds()
                        .sampling(Sampling.builder().temperature(0.7f).repetitionPenalty(1.3f).seed(2).build()).build());
        try (Engine engine = Engine.open(MODEL, EngineOptions.defaults().withMaxTokensPerStep(16))) {
            List<int[]> first = runAll(engine, requests);
            runAll(engine, requests);
            long before = NativeApi.heap_allocations();
            List<int[]> counted = runAll(engine, requests);
            long allocations = NativeApi.heap_allocations() - before;
            for (int i = 0; i < first.size(); i++) assertEquals(Arrays.toString(first.get(i)), Arrays.toString(counted.get(i)));
            assertEquals(0, allocations, allocations + " native allocations after warm-up");
        }
    }

    private static List<int[]> runAll(Engine engine, List<Request> requests) {
        List<int[]> tokens = new ArrayList<>();
        for (Request r : requests) {
            Generation g = engine.generateAll(r);
            g.samples().forEach(c -> tokens.add(c.tokenIds()));
        }
        return tokens;
    }

    /** Steps scripted the way the scheduler builds and applies them, over fresh sequences each run. */
    private static final class MixedSteps {
        private final BlockManager blocks;
        private final NativeStepRunner kv;
        private final NativeDrafter drafter;
        private final StepBatch batch;
        private Seq penalized, tree;
        private List<Seq> holed, copied;
        int copies, holes, moves, mixedSteps;

        MixedSteps(KvRuntime runtime, NativeDrafter drafter) {
            this.blocks = runtime.blocks();
            this.kv = runtime.kv();
            this.drafter = drafter;
            this.batch = new StepBatch(kv.maxChunk(), kv.maxChunk());
        }

        /** One sequence: its tokens (prompt, then sampled ones), how many are known, and its blocks. */
        private static final class Seq {
            final int[] tokens;
            final int promptLength;
            final Sampling sampling;
            int length;
            SequenceBlocks blocks;
            int index = -1; // in the step being built

            Seq(int[] prompt, int capacity, Sampling sampling) {
                this.tokens = Arrays.copyOf(prompt, capacity);
                this.promptLength = prompt.length;
                this.length = prompt.length;
                this.sampling = sampling;
            }
        }

        int run() {
            penalized = new Seq(ids(100, 1), 124, Sampling.builder().temperature(0.7f).repetitionPenalty(1.3f).seed(5).build());
            // 29 prompt tokens leave 13 in the shared block: its 3 samples leave holes. 18 leave 2: a copy.
            holed = samples(ids(29, 2), 3, 11);
            copied = samples(ids(18, 3), 2, 21);
            tree = new Seq(ids(30, 4), 64, Sampling.greedy());
            List<Seq> all = new ArrayList<>(List.of(penalized, tree));
            all.addAll(holed);
            all.addAll(copied);
            for (Seq s : List.of(penalized, holed.get(0), copied.get(0), tree)) {
                s.blocks = blocks.open(Arrays.copyOf(s.tokens, s.length), false, 0);
            }
            int steps = 0;
            while (true) {
                batch.clear();
                boolean prefill = false, decode = false;
                int budget = kv.maxChunk();
                for (Seq s : all) {
                    s.index = -1;
                    // Stop 3 short of the capacity: a tree step adds 3 tokens.
                    if (s.blocks == null || s.length > s.tokens.length - 3 || budget < 8) continue;
                    int from = s.blocks.length();
                    if (s == tree && from == s.length - 1) {
                        budget -= addTree(s);
                        continue;
                    }
                    int n = Math.min(12, s.length - from);
                    prefill |= n > 1;
                    decode |= n == 1;
                    int holeBefore = s.blocks.holeSlots();
                    blocks.ensure(s.blocks, from + n, s.tokens, (src, dst) -> {
                        copies++;
                        kv.copyBlock(src, dst);
                    });
                    if (s.blocks.holeSlots() != holeBefore) holes++;
                    s.index = batch.size();
                    batch.add(s.blocks, s.tokens, from, n, from, s.sampling, from + n, s.promptLength, TOP_LOGPROBS);
                    budget -= n;
                }
                if (batch.size() == 0) break;
                if (prefill && decode) mixedSteps++;
                kv.run(batch);
                steps++;
                apply(all);
            }
            for (Seq s : all) if (s.blocks != null) blocks.free(s.blocks);
            return steps;
        }

        /** Adds a tree of two beams sharing their first token; returns the tokens it feeds. */
        private int addTree(Seq s) {
            int root = s.length - 1;
            int a = s.tokens[root] % 400 + 1;
            DraftTree t = DraftTree.ofBeams(new int[] {a, a + 1, a + 2, a, a + 3, a + 4}, 2, 3, 3, 63);
            blocks.ensure(s.blocks, s.length + t.size(), s.tokens, kv::copyBlock);
            s.index = batch.size();
            batch.addTree(s.blocks, s.tokens[root], t, root, s.sampling, TOP_LOGPROBS);
            return 1 + t.size();
        }

        private void apply(List<Seq> all) {
            List<Seq> proposing = new ArrayList<>();
            for (Seq s : all) {
                if (s.index < 0) continue;
                if (s == tree && s.blocks.length() == s.length - 1) {
                    verify(s);
                    continue;
                }
                int end = s.blocks.length() + batch.nTokens[s.index];
                blocks.commit(s.blocks, s.tokens, end);
                if (end < s.length) continue;
                s.tokens[s.length++] = batch.token(s.index);
                proposing.add(s);
                if (s == holed.get(0) && holed.get(1).blocks == null) fork(s, holed);
                if (s == copied.get(0) && copied.get(1).blocks == null) fork(s, copied);
            }
            int n = proposing.size();
            int[] rows = new int[n], last = new int[n], out = new int[n * 2 * 3];
            for (int i = 0; i < n; i++) {
                Seq s = proposing.get(i);
                rows[i] = batch.lastOutputRow(s.index);
                last[i] = s.tokens[s.length - 1];
            }
            drafter.propose(kv.workspace(), n, rows, last, 2, 3, out);
        }

        /** The other samples share the first one's blocks and draw their first token from its logits. */
        private void fork(Seq first, List<Seq> samples) {
            for (Seq s : samples.subList(1, samples.size())) {
                s.blocks = blocks.fork(first.blocks);
                s.tokens[s.length++] = kv.resample(batch.lastOutputRow(first.index), s.sampling, s.promptLength,
                        TOP_LOGPROBS);
            }
        }

        /**
         * Accepts the second beam's drafts (tree nodes 1 and 4) and the token sampled after them, as
         * a verifier that agreed with them would: node 4's K/V moves from its tree slot to its position.
         */
        private void verify(Seq s) {
            int root = s.length - 1, rootSlot = s.blocks.slot(root);
            int a = s.tokens[root] % 400 + 1;
            s.tokens[s.length++] = a;
            s.tokens[s.length++] = a + 3;
            s.tokens[s.length++] = batch.token(s.index, 4);
            kv.moveTokens(s.blocks.table(), s.blocks.blockCount(), new int[] {rootSlot + 4}, new int[] {rootSlot + 2}, 1);
            moves++;
            blocks.commit(s.blocks, s.tokens, root + 3);
            blocks.trim(s.blocks);
        }

        private static List<Seq> samples(int[] prompt, int n, int seed) {
            List<Seq> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(new Seq(prompt, prompt.length + 15, Sampling.builder().temperature(0.9f).topP(0.9f).seed(seed + i).build()));
            }
            return out;
        }

        private static int[] ids(int n, int salt) {
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) ids[i] = 1 + (i * 37 + salt * 101) % 500;
            return ids;
        }

        @Override
        public String toString() {
            return "copies " + copies + ", holes " + holes + ", moves " + moves + ", mixed steps " + mixedSteps;
        }
    }
}
