package dev.euclid.internal;

import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.KvStats;
import dev.euclid.PromptLogprobs;
import dev.euclid.TopLogprob;
import dev.euclid.internal.kv.BlockManager;
import dev.euclid.internal.kv.SequenceBlocks;
import java.util.ArrayList;
import java.util.List;

/**
 * The paged KV cache of an engine: the native block pool and workspace with the block manager
 * that hands out their blocks, the budget check for requests, and teacher-forced scoring. Used from
 * the engine thread only (see {@link dev.euclid.internal.sched.Scheduler}).
 */
public final class KvRuntime implements AutoCloseable {
    private final NativeModel model;
    private final BlockManager blocks;
    private final NativeStepRunner kv;
    private final long bytesPerBlock;

    public KvRuntime(NativeModel model, EngineOptions options) {
        this.model = model;
        KvOptions k = options.kv();
        this.bytesPerBlock = NativeApi.kv_bytes_per_block(model.checked(), k.blockTokens(), k.type().code());
        int chunk = Math.min(options.maxTokensPerStep(), model.info().contextLength());
        java.util.OptionalLong freeDevice = model.deviceFreeBytes();
        long nBlocks = freeDevice.isPresent()
                ? KvBudget.deviceBlocks(model.info().contextLength(), k, bytesPerBlock,
                        freeDevice.getAsLong() - deviceWorkspaceBytes(model.info(), chunk))
                : KvBudget.blocks(model.info().contextLength(), k, bytesPerBlock);
        this.blocks = new BlockManager((int) nBlocks, k.blockTokens(), k.prefixCaching());
        this.kv = new NativeStepRunner(model, (int) nBlocks, k.blockTokens(), k.type().code(),
                chunk);
    }

    /** What the workspace of a GPU engine takes on the device (cuda/CudaBackend.cpp's Scratch), created after the pool. */
    private static long deviceWorkspaceBytes(dev.euclid.ModelInfo i, int chunk) {
        long qDim = (long) i.heads() * i.headDim(), kvDim = (long) i.kvHeads() * i.headDim();
        return 4L * chunk * (2L * i.dim() + 2 * qDim + 2 * kvDim + 2L * i.ffnDim() + i.vocabSize());
    }

    /** Number of tokens that can be generated after a prompt of this length, or an exception if it can't fit. */
    public int maxNewTokens(int promptLength, int requested) {
        return maxNewTokens(promptLength, requested, 1);
    }

    /**
     * Tokens each of {@code samples} samples may generate after the prompt (bounded by the model
     * context), or an exception saying what fits if the request could never fit the KV cache.
     */
    public int maxNewTokens(int promptLength, int requested, int samples) {
        int context = model.info().contextLength();
        if (promptLength > context) {
            throw new IllegalArgumentException("prompt has " + promptLength + " tokens but the model context holds "
                    + context);
        }
        // The last generated token is sampled, never fed, so it needs no position of its own.
        int maxNew = (int) Math.min(requested, (long) context - promptLength + 1);
        int b = blocks.blockTokens();
        long positions = promptLength + maxNew - 1L;
        long needed = blocks.blocksForRequest(promptLength, positions, samples);
        if (needed > blocks.totalBlocks()) {
            throw new IllegalArgumentException("the request needs KV for " + positions + " tokens (prompt "
                    + promptLength + " + " + maxNew + " new" + (samples > 1 ? ", " + samples + " samples" : "")
                    + ", " + needed + " blocks) but the KV cache budget holds "
                    + (long) blocks.totalBlocks() * b + " tokens (" + blocks.totalBlocks() + " blocks of " + b
                    + "); raise the KV budget or lower max tokens");
        }
        return maxNew;
    }

    public BlockManager blocks() {
        return blocks;
    }

    public NativeStepRunner kv() {
        return kv;
    }

    public KvStats stats() {
        return blocks.stats(bytesPerBlock);
    }

    /** Logits after each of {@code tokens}, teacher-forced, in chunks (the prefix cache is not used). */
    public float[][] logits(int[] tokens) {
        float[][] out = new float[tokens.length][model.info().vocabSize()];
        teacherForced(tokens, tokens.length, (s, pos, len) -> kv.logits(s.table(), s.blockCount(), tokens, pos, len, pos, out, pos));
        return out;
    }

    /** One chunk of a teacher-forced pass: tokens [pos, pos + len) at those positions, over blocks s. */
    private interface Chunk {
        void feed(SequenceBlocks s, int pos, int len);
    }

    /**
     * Feeds tokens[0, fed) in chunks of at most a step, each through {@code chunk}, on blocks of their
     * own (the prefix cache is not used), freed at the end.
     */
    private void teacherForced(int[] tokens, int fed, Chunk chunk) {
        maxNewTokens(tokens.length, 1);
        SequenceBlocks s = blocks.open(tokens, false, 0);
        try {
            for (int pos = 0; pos < fed; ) {
                int len = Math.min(kv.maxChunk(), fed - pos);
                blocks.ensure(s, pos + len, tokens, kv::copyBlock);
                chunk.feed(s, pos, len);
                blocks.commit(s, tokens, pos + len);
                pos += len;
            }
        } finally {
            blocks.free(s);
        }
    }

    /**
     * Each token's log-probability after the ones before it, teacher-forced in chunks (the prefix cache
     * is not used), and the {@code top} most likely tokens at each position; position 0 has nothing
     * before it (NaN, no alternatives).
     */
    public PromptLogprobs promptLogprobs(int[] tokens, int top) {
        float[] logprobs = new float[tokens.length];
        logprobs[0] = Float.NaN;
        List<List<TopLogprob>> alternatives = new ArrayList<>(tokens.length);
        alternatives.add(List.of());
        // The last token is only scored, never fed.
        teacherForced(tokens, tokens.length - 1,
                (s, pos, len) -> kv.scores(s.table(), s.blockCount(), tokens, pos, len, pos, top, logprobs, alternatives));
        return new PromptLogprobs(tokens, logprobs, alternatives);
    }

    @Override
    public void close() {
        kv.close();
    }
}
