package dev.euclid.cli.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One contender's speed in one (shape, threads) cell: medians over the measured runs.
 *
 * @param prefillRuns prompt tokens / time to first token, per measured run
 * @param decodeRuns (generated tokens - 1) / time from the first to the last token, per run
 * @param weightBytesPerToken weight bytes one decode step reads (the token embedding counts one row)
 * @param timingSource where the per-run times come from
 * @param memoryBandwidth the memory read bandwidth beside this measurement in bytes/s (the better of the
 *     probes right before and right after it), or 0 when not probed
 */
public record Measurement(Contender contender, double[] prefillRuns, double[] decodeRuns, long weightBytesPerToken,
        String timingSource, double memoryBandwidth) {

    public Measurement(Contender contender, double[] prefillRuns, double[] decodeRuns, long weightBytesPerToken, String timingSource) {
        this(contender, prefillRuns, decodeRuns, weightBytesPerToken, timingSource, 0);
    }

    public Measurement withMemoryBandwidth(double bytesPerSecond) {
        return new Measurement(contender, prefillRuns, decodeRuns, weightBytesPerToken, timingSource, bytesPerSecond);
    }

    public double prefillTokensPerSecond() {
        return median(prefillRuns);
    }

    public double decodeTokensPerSecond() {
        return median(decodeRuns);
    }

    /** Weight bytes read per second while decoding. */
    public double decodeBandwidth() {
        return weightBytesPerToken * decodeTokensPerSecond();
    }

    /**
     * One contender's passes through a cell as one measurement: every pass's runs, and the median of the passes'
     * read bandwidths (each pass's decode against the probes beside it, the median pass against the median probe).
     */
    static Measurement merge(List<Measurement> passes) {
        Measurement first = passes.get(0);
        double[] prefill = passes.stream().flatMapToDouble(m -> Arrays.stream(m.prefillRuns())).toArray();
        double[] decode = passes.stream().flatMapToDouble(m -> Arrays.stream(m.decodeRuns())).toArray();
        double bandwidth = median(passes.stream().mapToDouble(Measurement::memoryBandwidth).toArray());
        return new Measurement(first.contender(), prefill, decode, first.weightBytesPerToken(), first.timingSource(), bandwidth);
    }

    /** Decode's bandwidth over the read bandwidth beside it; NaN when not probed. */
    public double bandwidthFraction() {
        return memoryBandwidth > 0 ? decodeBandwidth() / memoryBandwidth : Double.NaN;
    }

    static double median(double[] v) {
        if (v.length == 0) return Double.NaN;
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
