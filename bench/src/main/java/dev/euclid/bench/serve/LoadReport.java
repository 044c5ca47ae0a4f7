package dev.euclid.bench.serve;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A load run summed up: output tokens per second of wall time (first send to last end, prefill
 * included), the decode rate while every client was decoding, time to first token and inter-token
 * latency percentiles. NaN where a contender has no such figure (printed as "-").
 *
 * @param decodeTokensPerSecond tokens/s over the window in which every request had its first token
 *     and none had its last: the measure of {@code euclid bench --batch N} (steps with all N
 *     sequences decoding); NaN unless each client sent one request
 */
record LoadReport(String contender, int concurrency, int requests, long tokens, double seconds,
        double outputTokensPerSecond, double decodeTokensPerSecond, double ttftP50Ms, double ttftP99Ms, double itlP50Ms,
        double itlP99Ms) {

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
        double seconds = (last - first) / 1e9;
        double decode = timings.size() == concurrency ? allDecoding(timings) : Double.NaN;
        return new LoadReport(contender, concurrency, timings.size(), tokens, seconds, tokens / seconds, decode,
                percentile(ttft, 50), percentile(ttft, 99), percentile(itl, 50), percentile(itl, 99));
    }

    /** {@code bench --batch}'s rates: its long round's output tokens/s, and its decode rate; no latencies. */
    static LoadReport batchBench(String contender, int concurrency, double outputTokensPerSecond, double decodeTokensPerSecond) {
        double n = Double.NaN;
        return new LoadReport(contender, concurrency, concurrency, 0, n, outputTokensPerSecond, decodeTokensPerSecond, n, n, n, n);
    }

    /** A contender stopped at its time limit: nothing measured. */
    static LoadReport stopped(String contender, int concurrency, double seconds) {
        double n = Double.NaN;
        return new LoadReport(contender + " (stopped after " + Math.round(seconds) + " s, unfinished)", concurrency, 0, 0,
                seconds, n, n, n, n, n, n);
    }

    /**
     * Text arrivals per second between the moment the last request got its first token and the
     * moment the first request got its last (arrival times are rebuilt from first token and gaps).
     */
    private static double allDecoding(List<RequestTiming> timings) {
        long from = Long.MIN_VALUE, to = Long.MAX_VALUE;
        for (RequestTiming t : timings) {
            from = Math.max(from, t.firstTokenNanos());
            to = Math.min(to, t.firstTokenNanos() + Arrays.stream(t.gapsNanos()).sum());
        }
        if (to <= from) return Double.NaN;
        long arrivals = 0;
        for (RequestTiming t : timings) {
            long at = t.firstTokenNanos();
            for (long gap : t.gapsNanos()) {
                at += gap;
                if (at > from && at <= to) arrivals++;
            }
        }
        return arrivals / ((to - from) / 1e9);
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
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | **%s** | **%s** | %s | %s | %s | %s |", contender,
                concurrency, requests, tokens, num("%.1f", seconds), num("%.1f", outputTokensPerSecond),
                num("%.1f", decodeTokensPerSecond), num("%.0f", ttftP50Ms), num("%.0f", ttftP99Ms), num("%.1f", itlP50Ms),
                num("%.1f", itlP99Ms));
    }

    static String markdownHeader() {
        return "| contender | clients | requests | output tokens | seconds | output tok/s | decode tok/s, all decoding"
                + " | TTFT p50 ms | TTFT p99 ms | ITL p50 ms | ITL p99 ms |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    private static String num(String format, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }
}
