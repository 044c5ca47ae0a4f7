package dev.euclid.solver.model;

/** The first turns of a problem's samples, started together from one prompt. */
public interface SampleGroup {
    /** Stops sample {@code sample}'s first turn; its turn is still reported, as {@link Turn.End#STOPPED}. */
    void stop(int sample);

    /** Stops every first turn still running. */
    void stopAll();
}
