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
        int context = model.info().contextLength();
        if (promptLength > context) {
            throw new IllegalArgumentException("prompt has " + promptLength + " tokens but the model context holds "
                    + context);
        }
        // The last generated token is sampled, never fed, so it needs no position of its own.
        int maxNew = (int) Math.min(requested, (long) context - promptLength + 1);
        long positions = promptLength + maxNew - 1L;
        long fit = (long) blocks.totalBlocks() * blocks.blockTokens();
        // One sample at a time also needs one block for a copy of a shared partial block.
        if (ceilDiv(positions, blocks.blockTokens()) + 1 > blocks.totalBlocks()) {
            throw new IllegalArgumentException("the request needs KV for " + positions + " tokens (prompt "
                    + promptLength + " + " + maxNew + " new) but the KV cache budget holds " + fit + " tokens ("
                    + blocks.totalBlocks() + " blocks of " + blocks.blockTokens() + "); raise the KV budget or lower max tokens");
        }
        return maxNew;
    }

    public KvStats stats() {
        return blocks.stats(bytesPerBlock);
    }

    public Generation run(int[] prompt, Request request, int[] stopIds, Consumer<TokenEvent> listener) {
        int maxNew = maxNewTokens(prompt.length, request.maxTokens());
        int n = request.samples();
        List<SequenceBlocks> seqs = new ArrayList<>();
        try {
            long start = System.nanoTime();
            SequenceBlocks base = blocks.open(prompt, true);
            seqs.add(base);
            int first = prefill(base, prompt, request.sampling());
            int[] firstTokens = new int[n];
            float[] firstLogprobs = new float[n];
            for (int i = 0; i < n; i++) {
                firstTokens[i] = i == 0 ? first : kv.resample(sampleSampling(request.sampling(), i), prompt.length);
                firstLogprobs[i] = kv.lastLogprob();
            }
            for (int i = 1; i < n; i++) seqs.add(blocks.fork(base));
            long prefillNanos = System.nanoTime() - start;
            List<Completion> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(decode(i, seqs.get(i), prompt, request, sampleSampling(request.sampling(), i), stopIds, maxNew,
                        firstTokens[i], firstLogprobs[i], prefillNanos, listener));
                blocks.free(seqs.get(i));
            }
            return new Generation(prompt.clone(), out);
        } finally {
            seqs.forEach(blocks::free);
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

    private Completion decode(int sample, SequenceBlocks s, int[] prompt, Request request, Sampling sampling,
            int[] stopIds, int maxNew, int first, float firstLogprob, long prefillNanos, Consumer<TokenEvent> listener) {
        int[] tokens = Arrays.copyOf(prompt, prompt.length + maxNew);
        float[] logprobs = request.logprobs() ? new float[maxNew] : null;
        TextDecoder decoder = tokenizer.decoder(prompt[prompt.length - 1]);
        StringBuilder text = new StringBuilder();
        FinishReason reason = FinishReason.LENGTH;
        long start = System.nanoTime();
        int count = 0, next = first;
        float lp = firstLogprob;
        while (true) {
            tokens[prompt.length + count] = next;
            if (logprobs != null) logprobs[count] = lp;
            boolean stop = contains(stopIds, next);
            String delta = stop ? "" : decoder.next(next);
            text.append(delta);
            count++;
            if (listener != null) listener.accept(new TokenEvent(sample, next, delta, count - 1, logprobs != null ? lp : Float.NaN));
            if (stop) {
                reason = FinishReason.STOP;
                break;
            }
            if (count == maxNew) break;
            int pos = prompt.length + count - 1;
            blocks.ensure(s, pos + 1, kv::copyBlock);
            next = kv.step(s.table(), s.blockCount(), tokens, pos, 1, pos, sampling, pos + 1);
            lp = kv.lastLogprob();
            blocks.commit(s, tokens, pos + 1);
        }
        long end = System.nanoTime();
        text.append(decoder.flush());
        Timings timings = new Timings(prompt.length, prefillNanos, count - 1, end - start);
        return new Completion(prompt.clone(), Arrays.copyOfRange(tokens, prompt.length, prompt.length + count),
                text.toString(), reason, logprobs == null ? null : Arrays.copyOf(logprobs, count), timings);
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
