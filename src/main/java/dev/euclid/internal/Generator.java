package dev.euclid.internal;

import dev.euclid.Completion;
import dev.euclid.FinishReason;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.TextDecoder;
import dev.euclid.Timings;
import dev.euclid.TokenEvent;
import dev.euclid.Tokenizer;
import java.util.Arrays;
import java.util.function.Consumer;

/** Runs one request to completion on one sequence: chunked prefill, then token-by-token decode. */
public final class Generator {
    private final NativeModel model;
    private final Tokenizer tokenizer;
    private final int prefillChunk;

    public Generator(NativeModel model, Tokenizer tokenizer, int prefillChunk) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.prefillChunk = prefillChunk;
    }

    /** Number of tokens that can be generated after a prompt of this length, or an exception if it can't fit. */
    public int maxNewTokens(int promptLength, int requested) {
        int context = model.info().contextLength();
        if (promptLength > context) {
            throw new IllegalArgumentException("prompt has " + promptLength + " tokens but the model context holds "
                    + context);
        }
        // The last generated token is sampled, never fed, so it needs no position of its own.
        return (int) Math.min(requested, (long) context - promptLength + 1);
    }

    public Completion run(int[] prompt, Request request, int[] stopIds, Consumer<TokenEvent> listener) {
        int maxNew = maxNewTokens(prompt.length, request.maxTokens());
        Sampling sampling = request.sampling();
        int[] generated = new int[maxNew];
        float[] logprobs = request.logprobs() ? new float[maxNew] : null;
        TextDecoder decoder = tokenizer.decoder(prompt[prompt.length - 1]);
        StringBuilder text = new StringBuilder();
        FinishReason reason = FinishReason.LENGTH;
        int count = 0;
        long start = System.nanoTime(), firstToken = start;
        try (NativeSequence seq = new NativeSequence(model, prompt.length + maxNew - 1, prefillChunk)) {
            int next = -1;
            for (int pos = 0; pos < prompt.length; ) {
                int n = Math.min(seq.maxChunk(), prompt.length - pos);
                next = seq.step(prompt, pos, n, sampling, pos + n); // draw = position of the sampled token
                pos += n;
            }
            firstToken = System.nanoTime();
            int[] one = new int[1];
            while (true) {
                generated[count] = next;
                float lp = Float.NaN;
                if (logprobs != null) logprobs[count] = lp = seq.lastLogprob();
                boolean stop = contains(stopIds, next);
                String delta = stop ? "" : decoder.next(next);
                text.append(delta);
                count++;
                if (listener != null) listener.accept(new TokenEvent(next, delta, count - 1, lp));
                if (stop) {
                    reason = FinishReason.STOP;
                    break;
                }
                if (count == maxNew) break;
                one[0] = next;
                next = seq.step(one, 0, 1, sampling, seq.length() + 1);
            }
        }
        long end = System.nanoTime();
        text.append(decoder.flush());
        Timings timings = new Timings(prompt.length, firstToken - start, count - 1, end - firstToken);
        return new Completion(prompt.clone(), Arrays.copyOf(generated, count), text.toString(), reason,
                logprobs == null ? null : Arrays.copyOf(logprobs, count), timings);
    }

    /** Logits after each of {@code tokens}, teacher-forced, in chunks. */
    public float[][] logits(int[] tokens) {
        float[][] out = new float[tokens.length][model.info().vocabSize()];
        try (NativeSequence seq = new NativeSequence(model, tokens.length, prefillChunk)) {
            for (int pos = 0; pos < tokens.length; ) {
                int n = Math.min(seq.maxChunk(), tokens.length - pos);
                seq.logits(tokens, pos, n, out, pos);
                pos += n;
            }
        }
        return out;
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) return true;
        }
        return false;
    }
}
