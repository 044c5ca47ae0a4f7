package dev.euclid.solver.model;

/** The first turns of a problem's samples, started together from one prompt. */
public interface SampleGroup {
    /** Stops sample {@code sample}'s first turn; its turn is still reported, as {@link Turn.End#STOPPED}. */
    void stop(int sample);

    /** Stops every first turn still running. */
    void stopAll();

    /**
     * First turns generated independently (one request each), reported to {@code listener} as each ends:
     * for backends with no shared n-sample request.
     */
    static SampleGroup of(java.util.List<PendingTurn> turns, TurnListener listener) {
        for (int i = 0; i < turns.size(); i++) {
            int sample = i;
            turns.get(i).turn().whenComplete((turn, e) -> {
                if (e == null) listener.ended(sample, turn);
                else listener.failed(e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e);
            });
        }
        return new SampleGroup() {
            @Override
            public void stop(int sample) {
                turns.get(sample).stop();
            }

            @Override
            public void stopAll() {
                turns.forEach(PendingTurn::stop);
            }
        };
    }
}
