package dev.euclid;

import java.util.List;

/**
 * Decides, each time a sample of a request finishes, whether the request's other samples should
 * stop — e.g. once 5 of 7 finished answers agree (majority voting), or after 10 of 12 finished.
 * Called on the engine's thread: keep it short and don't call the engine from it.
 */
@FunctionalInterface
public interface GroupStop {
    /**
     * @param finished the samples finished so far (in the order they finished), the latest last
     * @param samples how many samples the request has
     * @return true to stop every sample still running; they end with {@link FinishReason#GROUP_STOP}
     */
    boolean stopRest(List<Completion> finished, int samples);
}
