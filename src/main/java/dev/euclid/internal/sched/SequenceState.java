package dev.euclid.internal.sched;

import dev.euclid.Completion;
import dev.euclid.FinishReason;
import dev.euclid.Sampling;
import dev.euclid.TextDecoder;
import dev.euclid.Timings;
import dev.euclid.TokenEvent;
import dev.euclid.internal.kv.SequenceBlocks;
import java.util.Arrays;

/**
 * One sample of a request: its tokens (prompt, then generated), the blocks holding their K/V, and
 * its text so far. Positions [0, blocks.length()) are computed; the next step feeds the rest
 * (a prompt chunk, or the latest generated token).
 */
final class SequenceState {
    final RequestState request;
    final int sample;
    final Sampling sampling;
    SequenceBlocks blocks;
    int[] tokens;
    int length;
    final int promptLength;
    final float[] logprobs;
    final TextDecoder decoder;
    final StringBuilder text = new StringBuilder();
    long firstTokenNanos, endNanos;
    FinishReason reason;

    SequenceState(RequestState request, int sample, int[] tokens, int length, SequenceBlocks blocks) {
        this.request = request;
        this.sample = sample;
        this.sampling = request.sampling(sample);
        this.tokens = tokens;
        this.length = length;
        this.promptLength = request.prompt.length;
        this.blocks = blocks;
        this.logprobs = request.request.logprobs() ? new float[request.maxNew] : null;
        this.decoder = request.tokenizer.decoder(request.prompt[request.prompt.length - 1]);
    }

    int generated() {
        return length - promptLength;
    }

    boolean finished() {
        return reason != null;
    }

    /** Appends a sampled token; returns its event. */
    TokenEvent accept(int token, float logprob, long now) {
        if (generated() == 0) firstTokenNanos = now;
        if (length == tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
        tokens[length++] = token;
        int index = generated() - 1;
        if (logprobs != null) logprobs[index] = logprob;
        boolean stop = request.isStop(token);
        String delta = stop ? "" : decoder.next(token);
        text.append(delta);
        if (stop) finish(FinishReason.STOP, now);
        else if (generated() == request.maxNew) finish(FinishReason.LENGTH, now);
        return new TokenEvent(sample, token, delta, index, logprobs != null ? logprob : Float.NaN);
    }

    private void finish(FinishReason r, long now) {
        reason = r;
        endNanos = now;
        text.append(decoder.flush());
    }

    Completion completion() {
        Timings t = new Timings(promptLength, firstTokenNanos - request.submitNanos, generated() - 1, endNanos - firstTokenNanos);
        return new Completion(Arrays.copyOf(tokens, promptLength), Arrays.copyOfRange(tokens, promptLength, length),
                text.toString(), reason, logprobs == null ? null : Arrays.copyOf(logprobs, generated()), t);
    }
}
