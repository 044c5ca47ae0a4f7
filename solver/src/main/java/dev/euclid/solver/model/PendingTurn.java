package dev.euclid.solver.model;

import java.util.concurrent.CompletableFuture;

/** A turn being generated. */
public interface PendingTurn {
    /** Completes with the turn; a stopped turn completes with {@link Turn.End#STOPPED} and the text it had. */
    CompletableFuture<Turn> turn();

    /** Stops the turn now, freeing what it holds (KV blocks, a connection); no effect once it has ended. */
    void stop();

    /** A turn completing with {@code turn}, stopped by {@code stop}. */
    static PendingTurn of(CompletableFuture<Turn> turn, Runnable stop) {
        return new PendingTurn() {
            @Override
            public CompletableFuture<Turn> turn() {
                return turn;
            }

            @Override
            public void stop() {
                stop.run();
            }
        };
    }
}
