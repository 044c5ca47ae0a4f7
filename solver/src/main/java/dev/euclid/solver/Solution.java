package dev.euclid.solver;

import dev.euclid.solver.answer.VoteTable;
import java.time.Duration;
import java.util.List;

/**
 * A solved problem.
 *
 * @param problemId the problem's id
 * @param answer the voted answer, or null when no sample voted
 * @param votes the vote table, best first
 * @param samples every sample's transcript, by sample index
 * @param ended why the problem ended
 * @param wall time from start to the vote
 * @param tokens tokens generated, all samples together
 * @param modelIdleFraction the share of the wall time in which no sample was being generated (all
 *     were waiting for code): what code execution cost the model
 */
public record Solution(String problemId, String answer, List<VoteTable.Entry> votes, List<SampleTranscript> samples,
        Ended ended, Duration wall, long tokens, double modelIdleFraction) {
    public Solution {
        votes = List.copyOf(votes);
        samples = List.copyOf(samples);
    }

    public enum Ended {
        /** Every sample finished. */
        ALL_FINISHED("all_finished"),
        /** The leader could no longer be overtaken; the rest were stopped. */
        DECIDED("decided"),
        /** K samples had finished (NemoSkills); the rest were stopped. */
        ENOUGH_FINISHED("enough_finished"),
        /** The problem's time budget ran out; the samples finished by then voted. */
        TIME_BUDGET("time_budget");

        private final String wireName;

        Ended(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** Code runs of all samples. */
    public int codeRuns() {
        return samples.stream().mapToInt(SampleTranscript::codeRuns).sum();
    }
}
