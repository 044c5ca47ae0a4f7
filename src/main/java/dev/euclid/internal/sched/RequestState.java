package dev.euclid.internal.sched;

import dev.euclid.Completion;
import dev.euclid.Generation;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import dev.euclid.Sampling;
import dev.euclid.TokenEvent;
import dev.euclid.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/** A request inside the scheduler: its samples, result future and token stream. */
final class RequestState implements RequestHandle {
    final Request request;
    final int[] prompt;
    final int[] stopIds;
    final int maxNew;
    long arrival; // set by the engine thread when the request joins the active list
    final long submitNanos = System.nanoTime();
    final Tokenizer tokenizer;
    final Consumer<TokenEvent> listener; // called on the engine thread, may be null
    final List<SequenceState> samples = new ArrayList<>();
    final List<Completion> finishedInOrder = new ArrayList<>();
    final CompletableFuture<Generation> result = new CompletableFuture<>();
    final TokenPublisher publisher = new TokenPublisher();
    volatile boolean cancelRequested;
    RuntimeException failure; // set on the engine thread when the request must fail before its next step
    final java.util.Set<Integer> cancelledSamples = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** False until sample 0 has its first token and the other samples are forked from it. */
    boolean forked;
    private final Runnable wake;

    RequestState(Request request, int[] prompt, int[] stopIds, int maxNew, Tokenizer tokenizer,
            Consumer<TokenEvent> listener, Runnable wake) {
        this.request = request;
        this.prompt = prompt;
        this.stopIds = stopIds;
        this.maxNew = maxNew;
        this.tokenizer = tokenizer;
        this.listener = listener;
        this.wake = wake;
    }

    /** Sample i draws with seed + i, so samples differ and each is reproducible alone. */
    Sampling sampling(int sample) {
        Sampling s = request.sampling();
        return sample == 0 ? s : s.toBuilder().seed(s.seed() + sample).build();
    }

    boolean isStop(int token) {
        for (int id : stopIds) if (id == token) return true;
        return false;
    }

    boolean allFinished() {
        if (!forked) return false;
        for (SequenceState s : samples) if (!s.finished()) return false;
        return true;
    }

    void emit(TokenEvent e) {
        if (listener != null) listener.accept(e);
        publisher.publish(e);
    }

    void succeed() {
        List<Completion> out = new ArrayList<>();
        for (SequenceState s : samples) out.add(s.completion());
        publisher.complete(null);
        result.complete(new Generation(prompt.clone(), out));
    }

    void fail(Throwable error) {
        publisher.complete(error);
        result.completeExceptionally(error);
    }

    @Override
    public CompletableFuture<Generation> result() {
        return result;
    }

    @Override
    public Flow.Publisher<TokenEvent> tokens() {
        return publisher;
    }

    @Override
    public boolean cancel(int sample) {
        if (sample < 0 || sample >= request.samples()) {
            throw new IllegalArgumentException("sample " + sample + " is outside [0, " + request.samples() + ")");
        }
        if (result.isDone()) return false;
        cancelledSamples.add(sample);
        wake.run();
        return true;
    }

    /** A handle for a request refused before it started. */
    static RequestState failed(Request request, Throwable error) {
        RequestState r = new RequestState(request, new int[0], new int[0], 0, null, null, () -> {});
        r.fail(error);
        return r;
    }

    @Override
    public boolean cancel() {
        if (result.isDone()) return false;
        cancelRequested = true;
        wake.run();
        return true;
    }
}
