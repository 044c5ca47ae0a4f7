package dev.euclid.cli.bench;

import dev.euclid.TokenEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * When each token of one request arrived ({@link System#nanoTime()}), per sample, for {@link
 * DecodeWindow#steady}. Arrays are sized up front: recording a token allocates nothing.
 */
final class TokenClock implements Flow.Subscriber<TokenEvent> {
    private final long[][] times;
    private final int[] counts;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    TokenClock(int samples, int maxTokens) {
        times = new long[samples][maxTokens];
        counts = new int[samples];
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(TokenEvent e) {
        long now = System.nanoTime();
        // One subscriber's events come one at a time, in order (Flow's rule).
        int n = counts[e.sample()];
        if (n < times[e.sample()].length) {
            times[e.sample()][n] = now;
            counts[e.sample()] = n + 1;
        }
    }

    @Override
    public void onError(Throwable t) {
        done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        done.complete(null);
    }

    /**
     * Arrival times of each sample's tokens, in order, once the stream has ended (tokens are
     * delivered on another thread and may trail the request's result).
     */
    List<long[]> arrivals() {
        done.join();
        List<long[]> out = new ArrayList<>();
        for (int s = 0; s < times.length; s++) out.add(Arrays.copyOf(times[s], counts[s]));
        return out;
    }
}
