package dev.euclid.internal.sched;

import dev.euclid.FinishReason;
import dev.euclid.GroupStop;
import dev.euclid.internal.kv.BlockManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;

/**
 * The requests the engine holds — submitted from any thread, then active (admitted or waiting) in
 * arrival order on the engine thread — and how requests and samples end: result, failure,
 * cancel, timeout, group stop. Whatever ends frees its blocks at once.
 */
final class RequestQueue {
    private final BlockManager blocks;
    private final ConcurrentLinkedQueue<RequestState> incoming = new ConcurrentLinkedQueue<>();
    private final List<RequestState> active = new ArrayList<>();
    private long arrivals;

    RequestQueue(BlockManager blocks) {
        this.blocks = blocks;
    }

    /** Any thread. */
    void add(RequestState r) {
        incoming.add(r);
    }

    /** Moves the submitted requests to the active list, numbering them in arrival order. */
    void takeIncoming() {
        for (RequestState r; (r = incoming.poll()) != null; ) {
            r.arrival = arrivals++;
            active.add(r);
        }
    }

    boolean isEmpty() {
        return active.isEmpty();
    }

    /** Active requests, highest priority first, then oldest. */
    List<RequestState> byPriority() {
        List<RequestState> order = new ArrayList<>(active);
        order.sort(Comparator.comparingInt((RequestState r) -> -r.request.priority()).thenComparingLong(r -> r.arrival));
        return order;
    }

    /** Requests not started yet: submitted, or active without blocks for their prompt. */
    int queued() {
        int queued = incoming.size();
        for (RequestState r : active) if (r.samples.isEmpty()) queued++;
        return queued;
    }

    /** Samples holding blocks and not finished. */
    int running() {
        int running = 0;
        for (RequestState r : active) {
            for (SequenceState s : r.samples) if (s.blocks != null && !s.finished()) running++;
        }
        return running;
    }

    /**
     * Ends requests that must not take another step: cancelled samples of a forked request stop
     * (the request completes if none is left), and a request that failed, was cancelled or ran
     * past its timeout fails.
     */
    void endExpired() {
        for (RequestState r : new ArrayList<>(active)) {
            if (!r.cancelledSamples.isEmpty() && r.forked) {
                long now = System.nanoTime();
                for (SequenceState s : r.samples) {
                    if (!s.finished() && r.cancelledSamples.contains(s.sample)) {
                        s.stopEarly(FinishReason.CANCELLED, now);
                        sampleFinished(s, now);
                    }
                }
                if (r.allFinished()) {
                    finish(r, null);
                    continue;
                }
            }
            if (r.failure != null) finish(r, r.failure);
            else if (r.cancelRequested) finish(r, new CancellationException("request cancelled"));
            else if (r.request.timeout() != null && System.nanoTime() - r.submitNanos > r.request.timeout().toNanos()) {
                finish(r, new TimeoutException("request timed out after " + r.request.timeout()));
            }
        }
    }

    /** Frees a finished sample's blocks at once and asks the request's group-stop policy about the rest. */
    void sampleFinished(SequenceState s, long now) {
        if (s.blocks != null) blocks.free(s.blocks);
        RequestState r = s.request;
        r.finishedInOrder.add(s.completion());
        GroupStop policy = r.request.groupStop();
        if (policy == null || !r.forked || r.finishedInOrder.size() == r.request.samples()) return;
        if (policy.stopRest(Collections.unmodifiableList(r.finishedInOrder), r.request.samples())) {
            for (SequenceState other : r.samples) {
                if (other.finished()) continue;
                other.stopEarly(FinishReason.GROUP_STOP, now);
                if (other.blocks != null) blocks.free(other.blocks);
            }
        }
    }

    /** Completes an active request (with its result, or {@code error}) and frees its blocks; once. */
    void finish(RequestState r, Throwable error) {
        if (!active.remove(r)) return;
        for (SequenceState s : r.samples) if (s.blocks != null) blocks.free(s.blocks);
        if (error == null) r.succeed();
        else r.fail(error);
    }

    /** Fails every request, active or just submitted (the engine is closing). */
    void failAll(RuntimeException why) {
        for (RequestState r : new ArrayList<>(active)) finish(r, why);
        for (RequestState r; (r = incoming.poll()) != null; ) r.fail(why);
    }
}
