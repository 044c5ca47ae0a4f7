package dev.euclid.internal;

import dev.euclid.Completion;
import dev.euclid.EngineOptions;
import dev.euclid.FinishReason;
import dev.euclid.Generation;
import dev.euclid.KvOptions;
import dev.euclid.KvStats;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.TextDecoder;
import dev.euclid.Timings;
import dev.euclid.TokenEvent;
import dev.euclid.Tokenizer;
import dev.euclid.internal.kv.BlockManager;
import dev.euclid.internal.kv.SequenceBlocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs requests on the paged KV cache: looks the prompt up in the prefix cache, prefills the rest
 * in chunks, forks the prompt's blocks for each sample and decodes each sample token by token.
 * One request at a time (the in-flight batching scheduler replaces this loop).
 */
public final class Generator implements AutoCloseable {
    private final NativeModel model;
    private final Tokenizer tokenizer;
    private final BlockManager blocks;
    private final NativeKv kv;
    private final long bytesPerBlock;

    public Generator(NativeModel model, Tokenizer tokenizer, EngineOptions options) {
        this.model = model;
        this.tokenizer = tokenizer;
        KvOptions k = options.kv();
        this.bytesPerBlock = NativeApi.kv_bytes_per_block(model.checked(), k.blockTokens(), k.type().code());
        long nBlocks = blocksForBudget(model.info().contextLength(), k, bytesPerBlock);
        this.blocks = new BlockManager((int) nBlocks, k.blockTokens(), k.prefixCaching());
        this.kv = new NativeKv(model, (int) nBlocks, k.blockTokens(), k.type().code(),
                Math.min(options.prefillChunk(), model.info().contextLength()));
    }

    /** Blocks a budget buys (0 = one sequence of the full context, plus one block for copy-on-write). */
    static long blocksForBudget(int context, KvOptions k, long bytesPerBlock) {
        long n = k.budgetBytes() == 0 ? ceilDiv(context, k.blockTokens()) + 1 : k.budgetBytes() / bytesPerBlock;
        if (n < 1) {
            throw new IllegalArgumentException("a KV budget of " + k.budgetBytes() + " bytes holds no block: one block of "
                    + k.blockTokens() + " tokens takes " + bytesPerBlock + " bytes");
        }
        if (n > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("KV budget of " + k.budgetBytes() + " bytes is too large");
        return n;
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
        // Full prompt blocks are shared; each sample owns the rest, from a copy of the partial prompt block on.
        long shared = promptLength / b + (promptLength % b != 0 ? 1 : 0);
        long needed = shared + (long) samples * (ceilDiv(positions, b) - promptLength / b);
        if (needed > blocks.totalBlocks()) {
            throw new IllegalArgumentException("the request needs KV for " + positions + " tokens (prompt "
                    + promptLength + " + " + maxNew + " new" + (samples > 1 ? ", " + samples + " samples" : "")
                    + ", " + needed + " blocks) but the KV cache budget holds "
                    + (long) blocks.totalBlocks() * b + " tokens (" + blocks.totalBlocks() + " blocks of " + b
                    + "); raise the KV budget or lower max tokens");
        }
        return maxNew;
    }

    public KvStats stats() {
        return blocks.stats(bytesPerBlock);
    }

    public Generation run(int[] prompt, Request request, int[] stopIds, Consumer<TokenEvent> listener) {
        int n = request.samples();
        int maxNew = maxNewTokens(prompt.length, request.maxTokens(), n);
        List<Sample> samples = new ArrayList<>();
        SequenceBlocks base = blocks.open(prompt, true);
        try {
            long start = System.nanoTime();
            int first = prefill(base, prompt, request.sampling());
            long prefillNanos = System.nanoTime() - start;
            for (int i = 0; i < n; i++) {
                Sampling sampling = sampleSampling(request.sampling(), i);
                int token = i == 0 ? first : kv.resample(sampling, prompt.length);
                samples.add(new Sample(i, i == 0 ? base : blocks.fork(base), prompt, maxNew, sampling, request.logprobs(),
                        tokenizer.decoder(prompt[prompt.length - 1]), prefillNanos));
                samples.get(i).accept(token, kv.lastLogprob(), stopIds, listener);
                if (samples.get(i).finished() && i > 0) blocks.free(samples.get(i).blocks);
            }
            decodeTogether(samples, stopIds, listener);
            List<Completion> out = new ArrayList<>();
            for (Sample sample : samples) out.add(sample.completion());
            return new Generation(prompt.clone(), out);
        } finally {
            blocks.free(base);
            for (Sample sample : samples) blocks.free(sample.blocks);
        }
    }

    /**
     * Decodes every unfinished sample one token per step, all samples in one forward pass (up to the
     * step's token limit): their prompt blocks are shared, their weights read once per step. A
     * sample that finishes frees its blocks at once.
     */
    private void decodeTogether(List<Sample> samples, int[] stopIds, Consumer<TokenEvent> listener) {
        StepBatch batch = new StepBatch(kv.maxChunk(), kv.maxChunk());
        List<Sample> inStep = new ArrayList<>();
        while (true) {
            List<Sample> active = new ArrayList<>();
            for (Sample sample : samples) if (!sample.finished()) active.add(sample);
            if (active.isEmpty()) return;
            for (int from = 0; from < active.size(); from += kv.maxChunk()) {
                batch.clear();
                inStep.clear();
                for (Sample sample : active.subList(from, Math.min(active.size(), from + kv.maxChunk()))) {
                    int pos = sample.position();
                    blocks.ensure(sample.blocks, pos + 1, kv::copyBlock);
                    batch.add(sample.blocks, sample.tokens, pos, 1, pos, sample.sampling, pos + 1);
                    inStep.add(sample);
                }
                kv.run(batch);
                for (int i = 0; i < inStep.size(); i++) {
                    Sample sample = inStep.get(i);
                    blocks.commit(sample.blocks, sample.tokens, sample.position() + 1);
                    sample.accept(batch.token(i), batch.logprob(i), stopIds, listener);
                    if (sample.finished()) blocks.free(sample.blocks);
                }
            }
        }
    }

    /** Computes the prompt positions the prefix cache did not have and samples the first token. */
    private int prefill(SequenceBlocks s, int[] prompt, Sampling sampling) {
        int next = -1;
        for (int pos = s.length(); pos < prompt.length; ) {
            int len = Math.min(kv.maxChunk(), prompt.length - pos);
            blocks.ensure(s, pos + len, kv::copyBlock);
            next = kv.step(s.table(), s.blockCount(), prompt, pos, len, pos, sampling, pos + len);
            blocks.commit(s, prompt, pos + len);
            pos += len;
        }
        return next;
    }

    /** One sample's generation state: its tokens, blocks, text and why it stopped. */
    private static final class Sample {
        final int index;
        final SequenceBlocks blocks;
        final int[] tokens;
        final int promptLength, maxNew;
        final Sampling sampling;
        final float[] logprobs;
        final TextDecoder decoder;
        final StringBuilder text = new StringBuilder();
        final long prefillNanos, start = System.nanoTime();
        long end;
        int count;
        FinishReason reason;

        Sample(int index, SequenceBlocks blocks, int[] prompt, int maxNew, Sampling sampling, boolean logprobs,
                TextDecoder decoder, long prefillNanos) {
            this.index = index;
            this.blocks = blocks;
            this.tokens = Arrays.copyOf(prompt, prompt.length + maxNew);
            this.promptLength = prompt.length;
            this.maxNew = maxNew;
            this.sampling = sampling;
            this.logprobs = logprobs ? new float[maxNew] : null;
            this.decoder = decoder;
            this.prefillNanos = prefillNanos;
        }

        /** Position of the latest generated token, the next one to feed. */
        int position() {
            return promptLength + count - 1;
        }

        boolean finished() {
            return reason != null;
        }

        void accept(int token, float logprob, int[] stopIds, Consumer<TokenEvent> listener) {
            tokens[promptLength + count] = token;
            if (logprobs != null) logprobs[count] = logprob;
            boolean stop = contains(stopIds, token);
            String delta = stop ? "" : decoder.next(token);
            text.append(delta);
            count++;
            if (listener != null) {
                listener.accept(new TokenEvent(index, token, delta, count - 1, logprobs != null ? logprob : Float.NaN));
            }
            if (stop) reason = FinishReason.STOP;
            else if (count == maxNew) reason = FinishReason.LENGTH;
            if (reason != null) {
                end = System.nanoTime();
                text.append(decoder.flush());
            }
        }

        Completion completion() {
            Timings timings = new Timings(promptLength, prefillNanos, count - 1, end - start);
            return new Completion(Arrays.copyOf(tokens, promptLength), Arrays.copyOfRange(tokens, promptLength,
                    promptLength + count), text.toString(), reason,
                    logprobs == null ? null : Arrays.copyOf(logprobs, count), timings);
        }
    }

    /** Sample i of a request draws with seed + i, so samples differ and each is reproducible alone. */
    static Sampling sampleSampling(Sampling s, int i) {
        return i == 0 ? s : s.toBuilder().seed(s.seed() + i).build();
    }

    /** Logits after each of {@code tokens}, teacher-forced, in chunks (the prefix cache is not used). */
    public float[][] logits(int[] tokens) {
        maxNewTokens(tokens.length, 1);
        float[][] out = new float[tokens.length][model.info().vocabSize()];
        SequenceBlocks s = blocks.open(tokens, false);
        try {
            for (int pos = 0; pos < tokens.length; ) {
                int len = Math.min(kv.maxChunk(), tokens.length - pos);
                blocks.ensure(s, pos + len, kv::copyBlock);
                kv.logits(s.table(), s.blockCount(), tokens, pos, len, pos, out, pos);
                blocks.commit(s, tokens, pos + len);
                pos += len;
            }
        } finally {
            blocks.free(s);
        }
        return out;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) return true;
        }
        return false;
    }

    @Override
    public void close() {
        kv.close();
    }
}
