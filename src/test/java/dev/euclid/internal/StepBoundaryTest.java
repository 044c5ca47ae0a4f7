package dev.euclid.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.EngineOptions;
import dev.euclid.Sampling;
import dev.euclid.internal.kv.SequenceBlocks;
import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The native step checks its whole descriptor before it changes anything: every malformed field
 * is refused with a message naming it, never a crash; and the block operations recorded between
 * steps survive a step that failed and are carried out before anything reads the cache again.
 */
class StepBoundaryTest {
    private static final Path MODEL = SharedModels.models().resolve("stories260K/stories260K.bin");
    private static final int BLOCKS = 8, BLOCK_TOKENS = 16, MAX_CHUNK = 32;

    /** A valid one-sequence step (3 tokens at positions 0-2 in block 0, greedy) in its own buffers. */
    private static final class Step implements AutoCloseable {
        final NativeApi.StepDescriptor d = new NativeApi.StepDescriptor();
        // Arrays, not sizes: new IntPointer(3) would be three uninitialised ints.
        final IntPointer nTokens = ints(3), ones = ints(1), zeros = ints(0, 0), modes = ints(NativeApi.SAMPLE_LAST),
                topKs = ints(0), tokens = ints(1, 2, 3), parents = ints(0, 0, 1), tables = ints(0),
                ops = ints(NativeApi.KV_COPY_BLOCK, 0, 0, 1, 0), out = new IntPointer((long) MAX_CHUNK);
        final FloatPointer temperatures = floats(0f), topPs = floats(1f), minPs = floats(0f), penalties = floats(1f, 0f, 0f),
                logprobs = new FloatPointer((long) MAX_CHUNK);
        final LongPointer seeds = new LongPointer(new long[] {1}), draws = new LongPointer(new long[] {3});

        Step() {
            d.n_kv_ops(1).kv_ops(ops).n_seqs(1).n_tokens(nTokens).starts(zeros).sample_modes(modes).table_offsets(zeros)
                    .table_lengths(ones).holes(zeros).temperatures(temperatures).top_ks(topKs).top_ps(topPs)
                    .min_ps(minPs).penalties(penalties).seeds(seeds).draws(draws).history_offsets(zeros)
                    .history_lengths(zeros).n_fed(3).tokens(tokens).n_table_entries(1).tables(tables)
                    .n_history_entries(0).output_capacity(MAX_CHUNK).out_tokens(out).out_logprobs(logprobs);
        }

        private static IntPointer ints(int... values) {
            return new IntPointer(values);
        }

        private static FloatPointer floats(float... values) {
            return new FloatPointer(values);
        }

        @Override
        public void close() {
            for (Pointer p : new Pointer[] {d, nTokens, ones, zeros, modes, topKs, tokens, parents, tables, ops, out, temperatures, topPs,
                    minPs, penalties, logprobs, seeds, draws}) {
                p.close();
            }
        }
    }

    @Test
    void everyMalformedFieldIsRefusedByName() {
        ModelLoader.Loaded loaded = ModelLoader.open(MODEL, EngineOptions.defaults());
        try (NativeModel model = loaded.model()) {
            NativeApi.KvCache kv = NativeApi.kv_create(model.checked(), BLOCKS, BLOCK_TOKENS, NativeApi.KVT_F32);
            NativeApi.Workspace ws = NativeApi.workspace_create(model.checked(), MAX_CHUNK);
            try {
                int token;
                try (Step valid = new Step()) {
                    NativeApi.step(model.checked(), kv, ws, valid.d);
                    token = valid.out.get(0);
                    assertTrue(token >= 0 && token < model.info().vocabSize(), "sampled " + token);
                    assertTrue(valid.logprobs.get(0) <= 0, "log p(token) = " + valid.logprobs.get(0));
                }
                // A sequence that asks for no log-probabilities samples the same token and gets NaN.
                try (Step none = new Step(); IntPointer noLogprobs = new IntPointer(new int[] {NativeApi.NO_LOGPROBS})) {
                    NativeApi.step(model.checked(), kv, ws, none.d.top_logprobs(noLogprobs));
                    assertEquals(token, none.out.get(0));
                    assertTrue(Float.isNaN(none.logprobs.get(0)), "log p(token) = " + none.logprobs.get(0));
                }
                refused(model, kv, ws, s -> s.d.n_kv_ops(-1), "n_kv_ops = -1");
                refused(model, kv, ws, s -> s.ops.put(0, 9), "KV operation 0 has unknown kind 9");
                refused(model, kv, ws, s -> s.ops.put(3, BLOCKS), "block id 8 is outside the pool of 8 blocks");
                refused(model, kv, ws, s -> s.ops.put(0, NativeApi.KV_MOVE_SLOT).put(2, BLOCK_TOKENS), "slot 16 is outside a block");
                refused(model, kv, ws, s -> s.d.kv_ops(null), "kv_ops is null");
                refused(model, kv, ws, s -> s.d.n_seqs(MAX_CHUNK + 1), "n_seqs = 33");
                refused(model, kv, ws, s -> s.d.n_fed(4), "the sequences feed 3 tokens but n_fed = 4");
                refused(model, kv, ws, s -> s.d.n_fed(2), "sequence 0 feeds 3 tokens");
                refused(model, kv, ws, s -> s.d.n_fed(MAX_CHUNK + 1), "a step of 33 tokens");
                refused(model, kv, ws, s -> s.d.n_table_entries(0), "block table slice of sequence 0");
                refused(model, kv, ws, s -> s.tables.put(0, BLOCKS), "block id 8 is outside the pool");
                refused(model, kv, ws, s -> s.d.history_lengths(s.nTokens), "penalty history slice of sequence 0");
                refused(model, kv, ws, s -> s.d.n_history_entries(-1), "n_history_entries = -1");
                refused(model, kv, ws, s -> s.d.output_capacity(0), "output_capacity = 0");
                refused(model, kv, ws, s -> s.d.tokens(null), "step tokens is null");
                refused(model, kv, ws, s -> s.d.seeds(null), "step seeds is null");
                refused(model, kv, ws, s -> s.tokens.put(1, 100_000), "token id 100000 is outside the vocabulary");
                refused(model, kv, ws, s -> s.temperatures.put(0, -1f), "temperature must be >= 0");
                refused(model, kv, ws, s -> s.d.top_logprobs(new IntPointer(new int[] {-2})), "top_logprobs = -2 is outside");
                refused(model, kv, ws, s -> s.modes.put(0, NativeApi.SAMPLE_TREE), "draft tree parents is null");
                refused(model, kv, ws, s -> s.d.sample_modes(s.modes.put(0, NativeApi.SAMPLE_TREE)).parents(s.parents.put(2, 5)),
                        "parent 5 of token 2 must be an earlier token");
            } finally {
                NativeApi.workspace_free(ws);
                NativeApi.kv_free(kv);
            }
        }
    }

    private static void refused(NativeModel model, NativeApi.KvCache kv, NativeApi.Workspace ws, Consumer<Step> corrupt,
            String message) {
        try (Step s = new Step()) {
            corrupt.accept(s);
            RuntimeException e = assertThrows(RuntimeException.class, () -> NativeApi.step(model.checked(), kv, ws, s.d));
            assertTrue(e.getMessage() != null && e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
        }
    }

    /**
     * A block copy recorded before a step that the native boundary refuses is still made, before the
     * next native call reads the cache: a token fed over the copy sees exactly what it sees over the
     * original block.
     */
    @Test
    void recordedCopiesSurviveAFailedStepAndPrecedeTheNextRead() {
        ModelLoader.Loaded loaded = ModelLoader.open(MODEL, EngineOptions.defaults());
        try (NativeModel model = loaded.model(); KvRuntime runtime = new KvRuntime(model, EngineOptions.defaults())) {
            NativeStepRunner kv = runtime.kv();
            int vocab = model.info().vocabSize();
            int[] tokens = new int[21];
            for (int i = 0; i < tokens.length; i++) tokens[i] = 1 + i * 7;
            float[][] out = new float[21][vocab];
            kv.logits(new int[] {0, 1}, 2, tokens, 0, 20, 0, out, 0); // positions 0-19: block 0 and slots 16-19 of block 1
            kv.copyBlock(1, 2);

            SequenceBlocks other = runtime.blocks().open(new int[] {1, 2, 3}, false, 0);
            runtime.blocks().ensure(other, 3, new int[] {1, 2, 3}, kv::copyBlock);
            StepBatch bad = new StepBatch(4, 16);
            bad.add(other, new int[] {1, vocab + 5, 3}, 0, 3, 0, Sampling.greedy(), 3, 0, 0);
            RuntimeException e = assertThrows(RuntimeException.class, () -> kv.run(bad));
            assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
            runtime.blocks().free(other);

            float[][] overCopy = new float[1][vocab], overOriginal = new float[1][vocab];
            kv.logits(new int[] {0, 2}, 2, tokens, 20, 1, 20, overCopy, 0);
            kv.logits(new int[] {0, 1}, 2, tokens, 20, 1, 20, overOriginal, 0);
            assertArrayEquals(overOriginal[0], overCopy[0]);
        }
    }
}
