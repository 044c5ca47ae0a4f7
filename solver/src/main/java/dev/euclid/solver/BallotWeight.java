package dev.euclid.solver;

/**
 * How much a finished sample's answer counts (default: 1 each, plain majority). A weight must lie in
 * [0, {@link #max()}]: early stop assumes no outstanding sample can bring more than max().
 */
public interface BallotWeight {
    double weigh(SampleTranscript sample);

    double max();

    /** Every ballot counts 1. */
    static BallotWeight uniform() {
        return new BallotWeight() {
            @Override
            public double weigh(SampleTranscript sample) {
                return 1.0;
            }

            @Override
            public double max() {
                return 1.0;
            }
        };
    }
}
