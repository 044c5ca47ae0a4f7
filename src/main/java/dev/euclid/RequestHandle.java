package dev.euclid;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A submitted request: its result, its tokens as they stream, and a way to cancel it. Returned at
 * once by {@link Engine#submit(Request)}; every method may be called from any thread.
 */
public interface RequestHandle {
    /** Completes with every sample when the request ends; exceptionally if it fails, is cancelled or the engine closes. */
    CompletableFuture<Generation> result();

    /** Tokens of every sample as they are generated (in order per sample); completes when the request ends. */
    Flow.Publisher<TokenEvent> tokens();

    /** Stops the request at the next step and frees its KV blocks; false if it had already ended. */
    boolean cancel();

    /**
     * Stops one sample at the next step (it ends with {@link FinishReason#CANCELLED} and frees its
     * blocks); the request's other samples go on. False if the request had already ended.
     */
    boolean cancel(int sample);
}
