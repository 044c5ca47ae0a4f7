package dev.euclid.internal.sched;

import dev.euclid.Completion;
import dev.euclid.FinishReason;
import dev.euclid.Sampling;
import dev.euclid.TextDecoder;
import dev.euclid.Timings;
import dev.euclid.TokenEvent;
import dev.euclid.TopLogprob;
import dev.euclid.internal.kv.SequenceBlocks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    final int topLogprobs; // alternatives reported per token
    private final List<List<TopLogprob>> top; // per generated token, or null when none are reported
    final TextDecoder decoder;
    final StringBuilder text = new StringBuilder(); // emitted text
    private final StringBuilder pending = new StringBuilder(); // decoded, held back: may start a stop string
    String stopString;
    int[] beams; // the drafter's beams for the tokens after tokens[beamsAt - 1], or null
    int beamsAt;
    long firstTokenNanos, endNanos;
    FinishReason reason;

    /** Sample {@code sample} of {@code request}, holding the prompt so far; {@code blocks} hold its K/V. */
    SequenceState(RequestState request, int sample, SequenceBlocks blocks) {
        this.request = request;
        this.sample = sample;
        this.sampling = request.sampling(sample);
        int[] prompt = request.prompt;
        this.tokens = Arrays.copyOf(prompt, prompt.length + Math.min(request.maxNew, 64)); // grows in accept()
        this.length = prompt.length;
        this.promptLength = prompt.length;
        this.blocks = blocks;
        this.logprobs = request.request.logprobs() ? new float[request.maxNew] : null;
        this.topLogprobs = request.request.topLogprobs();
        this.top = topLogprobs > 0 ? new ArrayList<>() : null;
        this.decoder = request.tokenizer.decoder(request.prompt[request.prompt.length - 1]);
    }

    int generated() {
        return length - promptLength;
    }

    boolean finished() {
        return reason != null;
    }

    /** Appends a sampled token with its log-probability and the alternatives at its position; returns its event. */
    TokenEvent accept(int token, float logprob, List<TopLogprob> alternatives, long now) {
        if (generated() == 0) firstTokenNanos = now;
        if (length == tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
        tokens[length++] = token;
        int index = generated() - 1;
        if (logprobs != null) logprobs[index] = logprob;
        if (top != null) top.add(alternatives);
        boolean stop = request.isStop(token);
        if (!stop) pending.append(decoder.next(token));
        String delta;
        int match = stop ? -1 : findStopString();
        if (stop || match >= 0) {
            delta = release(match >= 0 ? match : pending.length());
            finish(FinishReason.STOP, now);
        } else if (generated() == request.maxNew) {
            pending.append(decoder.flush());
            delta = release(pending.length());
            finish(FinishReason.LENGTH, now);
        } else {
            delta = release(pending.length() - heldBack());
        }
        return new TokenEvent(sample, token, delta, index, logprobs != null ? logprob : Float.NaN, alternatives);
    }

    /** Ends the sample early, without a token of its own: its group stopped, or it was cancelled. */
    void stopEarly(FinishReason why, long now) {
        pending.append(decoder.flush());
        text.append(pending);
        pending.setLength(0);
        finish(why, now);
    }

    /** Moves pending[0, n) to the emitted text and returns it. */
    private String release(int n) {
        String out = pending.substring(0, n);
        text.append(out);
        pending.delete(0, n);
        return out;
    }

    /** Index in pending where the earliest stop string starts, recording which one; -1 if none. */
    private int findStopString() {
        int best = -1;
        for (String stop : request.request.stopStrings()) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
                stopString = stop;
            }
        }
        return best;
    }

    /** Length of the longest suffix of pending that is a prefix of some stop string (held back while streaming). */
    private int heldBack() {
        int hold = 0;
        String p = pending.toString();
        for (String stop : request.request.stopStrings()) {
            for (int k = Math.min(stop.length() - 1, p.length()); k > hold; k--) {
                if (p.regionMatches(p.length() - k, stop, 0, k)) {
                    hold = k;
                    break;
                }
            }
        }
        return hold;
    }

    private void finish(FinishReason r, long now) {
        reason = r;
        endNanos = now;
    }

    Completion completion() {
        Timings t = new Timings(promptLength, firstTokenNanos - request.submitNanos, generated() - 1, endNanos - firstTokenNanos);
        return new Completion(Arrays.copyOf(tokens, promptLength), Arrays.copyOfRange(tokens, promptLength, length),
                text.toString(), reason, logprobs == null ? null : Arrays.copyOf(logprobs, generated()), t, stopString,
                top == null ? null : List.copyOf(top));
    }
}
