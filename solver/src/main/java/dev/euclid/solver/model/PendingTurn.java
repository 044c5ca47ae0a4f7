package dev.euclid.solver.model;

import java.util.concurrent.CompletableFuture;

/** A turn being generated. */
public interface PendingTurn {
    /** Completes with the turn; a stopped turn completes with {@link Turn.End#STOPPED} and the text it had. */
    CompletableFuture<Turn> turn();

    /** Stops the turn now, freeing what it holds (KV blocks, a connection); no effect once it has ended. */
    void stop();
}
