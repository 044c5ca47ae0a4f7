package dev.euclid.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the generation requests the server holds: at most {@code maxConcurrent} submitted to the
 * engine, at most {@code maxQueue} more waiting for one of those places; beyond that a request is
 * refused at once with 429 (a client should back off rather than pile up sockets and threads).
 * The engine does its own scheduling of what it is given; this only limits how much that is.
 */
final class Admission {
    private final int maxConcurrent;
    private final int maxQueue;
    private final Semaphore running;
    private final AtomicInteger held = new AtomicInteger(); // running + waiting

    Admission(int maxConcurrent, int maxQueue) {
        this.maxConcurrent = maxConcurrent;
        this.maxQueue = maxQueue;
        this.running = new Semaphore(maxConcurrent, true);
    }

    /** A place taken; closing it gives it back. */
    interface Place {
        void close();
    }

    /** Takes a place, waiting for one while the queue has room; close it when the request is done. */
    Place enter() {
        if (held.incrementAndGet() > maxConcurrent + maxQueue) {
            held.decrementAndGet();
            throw new ApiException(429, "rate_limit_error", "the server is at capacity (" + maxConcurrent
                    + " requests running, " + maxQueue + " waiting); retry later", null, "queue_full");
        }
        try {
            running.acquire();
        } catch (InterruptedException e) {
            held.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new ApiException(503, "service_unavailable", "the server is shutting down", null, null);
        }
        return () -> {
            running.release();
            held.decrementAndGet();
        };
    }

    int running() {
        return maxConcurrent - running.availablePermits();
    }

    int waiting() {
        return Math.max(0, held.get() - running());
    }
}
