package dev.euclid.solver;

import java.util.List;

/**
 * Everything one sample did.
 *
 * @param sample its index (its first turn is drawn with the problem's seed + sample)
 * @param steps its turns in order
 * @param finish how it ended
 * @param extracted the answer as written (the last \boxed{...}), or null
 * @param answer the answer as voted (normalised), or null when it abstains
 * @param voted whether its answer counted (pruned and stopped samples do not vote)
 * @param tokens tokens it generated, all turns together
 */
public record SampleTranscript(int sample, List<Step> steps, Finish finish, String extracted, String answer,
        boolean voted, int tokens) {
    public SampleTranscript {
        steps = List.copyOf(steps);
    }

    public enum Finish {
        /** The model ended its text. */
        END_OF_TEXT("end_of_text"),
        /** The turn's token limit or the model's context. */
        LENGTH("length"),
        /** It asked to run code once more than the depth allows. */
        DEPTH_LIMIT("depth_limit"),
        /** Its last code run failed, so it was pruned (SC-TIR). */
        CODE_FAILED("code_failed"),
        /** Stopped unfinished: early stop, K samples done, or the time budget. */
        STOPPED("stopped");

        private final String wireName;

        Finish(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** Code runs this sample made. */
    public int codeRuns() {
        return (int) steps.stream().filter(s -> s.result() != null).count();
    }
}
