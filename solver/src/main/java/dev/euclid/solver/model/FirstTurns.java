package dev.euclid.solver.model;

import dev.euclid.Completion;
import dev.euclid.FinishReason;
import dev.euclid.Generation;
import dev.euclid.RequestHandle;
import dev.euclid.TokenEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * The first turns of one n-sample engine request, reported sample by sample as each ends, not
 * when the whole request does: the request's {@code GroupStop} hears of every sample that ends,
 * and {@link #stopAll} makes it stop the rest in the same step, freeing their blocks.
 *
 * <p>A {@code GroupStop} is handed the finished {@code Completion} but not its sample index, so
 * the index is found from the request's token stream: the sample whose tokens are exactly the
 * completion's. Two samples with equal tokens end in the same step (stop rules depend on the
 * tokens alone), so which of them gets which index does not matter. Samples that the group
 * stopped, and the last to end, are reported from the request's result, where indices are known.
 */
final class FirstTurns implements SampleGroup {
    private final Function<Completion, Turn> toTurn;
    private final TurnListener listener;
    private final List<List<Integer>> streamed = new ArrayList<>(); // tokens seen per sample
    private final boolean[] reported;
    private final boolean[] cancelled;
    private final List<Completion> unmatched = new ArrayList<>(); // ended, index not yet known
    private volatile boolean stopping;
    private RequestHandle handle;
    private boolean done;

    FirstTurns(int samples, Function<Completion, Turn> toTurn, TurnListener listener) {
        this.toTurn = toTurn;
        this.listener = listener;
        for (int i = 0; i < samples; i++) streamed.add(new ArrayList<>());
        this.reported = new boolean[samples];
        this.cancelled = new boolean[samples];
    }

    /** Called by the engine thread each time a sample ends; true stops every other sample now. */
    boolean sampleEnded(List<Completion> finished, int samples) {
        synchronized (this) {
            unmatched.add(finished.get(finished.size() - 1));
        }
        match();
        return stopping;
    }

    void attach(RequestHandle handle) {
        synchronized (this) {
            this.handle = handle;
        }
        handle.tokens().subscribe(new Flow.Subscriber<TokenEvent>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(TokenEvent e) {
                synchronized (FirstTurns.this) {
                    streamed.get(e.sample()).add(e.tokenId());
                }
                match();
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onComplete() {}
        });
        handle.result().whenComplete(this::requestEnded);
        if (stopping) stopAll();
    }

    @Override
    public void stop(int sample) {
        RequestHandle h;
        synchronized (this) {
            if (reported[sample]) return;
            cancelled[sample] = true;
            h = handle;
        }
        if (h != null) h.cancel(sample);
    }

    @Override
    public void stopAll() {
        stopping = true;
        for (int i = 0; i < reported.length; i++) stop(i); // the first that still runs makes the GroupStop stop the rest
    }

    /** Reports every ended sample whose index the token stream now shows. */
    private void match() {
        List<Ended> out = new ArrayList<>();
        synchronized (this) {
            if (done) return;
            for (var it = unmatched.iterator(); it.hasNext(); ) {
                Completion c = it.next();
                int sample = indexOf(c);
                if (sample < 0) continue;
                reported[sample] = true;
                it.remove();
                out.add(new Ended(sample, c));
            }
        }
        for (Ended e : out) listener.ended(e.sample(), toTurn.apply(e.completion()));
    }

    /** The unreported sample whose streamed tokens are exactly c's (a cancelled one first, for a cancelled c); -1 if none yet. */
    private int indexOf(Completion c) {
        int[] tokens = c.tokenIds();
        int found = -1;
        for (int i = 0; i < reported.length; i++) {
            if (reported[i] || !sameTokens(streamed.get(i), tokens)) continue;
            if (c.finishReason() != FinishReason.CANCELLED || cancelled[i]) return i;
            if (found < 0) found = i;
        }
        return found;
    }

    private static boolean sameTokens(List<Integer> seen, int[] tokens) {
        if (seen.size() != tokens.length) return false;
        for (int i = 0; i < tokens.length; i++) if (seen.get(i) != tokens[i]) return false;
        return true;
    }

    private void requestEnded(Generation g, Throwable error) {
        List<Ended> out = new ArrayList<>();
        synchronized (this) {
            if (done) return;
            done = true;
            unmatched.clear();
            if (g != null) {
                for (int i = 0; i < reported.length; i++) {
                    if (reported[i]) continue;
                    reported[i] = true;
                    out.add(new Ended(i, g.samples().get(i)));
                }
            }
        }
        if (error != null) {
            listener.failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
            return;
        }
        for (Ended e : out) listener.ended(e.sample(), toTurn.apply(e.completion()));
    }

    private record Ended(int sample, Completion completion) {}
}
