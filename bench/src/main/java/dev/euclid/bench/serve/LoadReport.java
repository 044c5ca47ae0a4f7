package dev.euclid.bench.serve;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A load run summed up: output tokens per second of wall time (first send to last end), time to
 * first token and inter-token latency percentiles.
 */
record LoadReport(String contender, int concurrency, int requests, long tokens, double seconds, double ttftP50Ms,
        double ttftP99Ms, double itlP50Ms, double itlP99Ms) {

    static LoadReport of(String contender, int concurrency, List<RequestTiming> timings) {
        long first = Long.MAX_VALUE, last = Long.MIN_VALUE, tokens = 0;
        double[] ttft = new double[timings.size()];
        int gaps = 0;
        for (RequestTiming t : timings) gaps += t.gapsNanos().length;
        double[] itl = new double[gaps];
        int g = 0, i = 0;
        for (RequestTiming t : timings) {
            first = Math.min(first, t.startNanos());
            last = Math.max(last, t.endNanos());
            tokens += t.tokens();
            ttft[i++] = (t.firstTokenNanos() - t.startNanos()) / 1e6;
            for (long gap : t.gapsNanos()) itl[g++] = gap / 1e6;
        }
        return new LoadReport(contender, concurrency, timings.size(), tokens, (last - first) / 1e9, percentile(ttft, 50),
                percentile(ttft, 99), percentile(itl, 50), percentile(itl, 99));
    }

    double outputTokensPerSecond() {
        return tokens / seconds;
    }

    /** Nearest-rank percentile. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) return Double.NaN;
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    String markdownRow() {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | **%.1f** | %.0f | %.0f | %.1f | %.1f |", contender,
                concurrency, requests, tokens, seconds, outputTokensPerSecond(), ttftP50Ms, ttftP99Ms, itlP50Ms, itlP99Ms);
    }

    static String markdownHeader() {
        return "| contender | clients | requests | output tokens | seconds | output tok/s | TTFT p50 ms | TTFT p99 ms"
                + " | ITL p50 ms | ITL p99 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }
}
