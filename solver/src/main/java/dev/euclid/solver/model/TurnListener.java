package dev.euclid.solver.model;

/** Receives each sample's first turn as soon as it ends. Called on any thread (the engine's too): return quickly, never call the model. */
public interface TurnListener {
    /** Sample {@code sample}'s first turn ended (once per sample). */
    void ended(int sample, Turn turn);

    /** The group could not run at all (e.g. the prompt does not fit the model); no turn follows. */
    void failed(Throwable error);
}
