package dev.euclid.bench;

import dev.euclid.Engine;
import dev.euclid.Precision;
import dev.euclid.cli.bench.BenchFiles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.RunResult;

/**
 * Euclid and llama.cpp side by side from one JMH run: tokens/s per model, thread count and
 * metric, the ratios Euclid FP16 / llama.cpp F16, Euclid FP8 and INT8 / llama.cpp Q8_0, and decode's
 * effective bandwidth (weight bytes per token × tokens/s) over {@link MemoryBandwidthBenchmark}'s
 * read bandwidth at the same thread count.
 */
final class Summary {
    private static final List<String> EUCLID = List.of("fp32", "bf16", "fp16", "fp8", "int8");
    private static final List<String> LLAMA = List.of("F32", "F16", "Q8_0");
    private static final String[][] RATIOS = {{"fp16", "F16"}, {"fp8", "Q8_0"}, {"int8", "Q8_0"}};

    /** One score: tokens/s (or bytes/s) and JMH's 99.9% error. */
    record Score(double value, double error) {}

    private Summary() {}

    static String markdown(Collection<RunResult> results) {
        // (model, threads) -> metric -> contender ("Euclid fp16", "llama.cpp Q8_0") -> score
        Map<String, Map<String, Map<String, Score>>> cells = new TreeMap<>();
        Map<Integer, Score> bandwidth = new TreeMap<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            String bench = p.getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            Score s = new Score(r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError());
            int threads = Integer.parseInt(p.getParam("threads"));
            if (bench.contains("MemoryBandwidthBenchmark")) {
                bandwidth.put(threads, s);
                continue;
            }
            String contender;
            if (bench.contains("LlamaCppDecodeBenchmark")) contender = "llama.cpp " + p.getParam("gguf");
            else if (bench.contains("DecodeBenchmark")) contender = "Euclid " + p.getParam("weights");
            else continue;
            String key = p.getParam("model") + "\t" + threads;
            cells.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(method, k -> new LinkedHashMap<>())
                    .put(contender, s);
        }
        StringBuilder md = new StringBuilder("## Euclid vs llama.cpp (tokens/s ± 99.9% error; ratios of the scores)\n\n");
        if (cells.isEmpty()) md.append("(no decode or prefill benchmarks ran)\n");
        for (var cell : cells.entrySet()) {
            String[] key = cell.getKey().split("\t");
            String model = key[0];
            int threads = Integer.parseInt(key[1]);
            List<String> columns = columns(cell.getValue());
            md.append("### ").append(model).append(", ").append(threads).append(threads == 1 ? " thread" : " threads").append("\n\n");
            md.append("| metric |");
            for (String c : columns) md.append(' ').append(c).append(" |");
            List<String[]> ratios = new ArrayList<>();
            for (String[] pair : RATIOS) {
                if (columns.contains("Euclid " + pair[0]) && columns.contains("llama.cpp " + pair[1])) {
                    ratios.add(pair);
                    md.append(' ').append(pair[0].toUpperCase(Locale.ROOT)).append(" / ").append(pair[1]).append(" |");
                }
            }
            md.append("\n|---|").append("---:|".repeat(columns.size() + ratios.size())).append('\n');
            for (var metric : cell.getValue().entrySet()) {
                md.append("| ").append(metric.getKey()).append(" |");
                for (String c : columns) {
                    Score s = metric.getValue().get(c);
                    md.append(' ').append(s == null ? "–" : fmt(s.value()) + (Double.isNaN(s.error()) ? "" : " ± " + fmt(s.error()))).append(" |");
                }
                for (String[] pair : ratios) {
                    Score e = metric.getValue().get("Euclid " + pair[0]), l = metric.getValue().get("llama.cpp " + pair[1]);
                    md.append(' ').append(e == null || l == null ? "–" : String.format(Locale.ROOT, "%.2f×", e.value() / l.value()))
                            .append(" |");
                }
                md.append('\n');
            }
            Map<String, Score> decode = cell.getValue().get("decode");
            Score bw = bandwidth.get(threads);
            if (decode != null) {
                md.append("\nDecode's weight traffic");
                md.append(bw == null ? " (run MemoryBandwidthBenchmark with the same threads for the share of bandwidth)"
                        : String.format(Locale.ROOT, " vs %.1f GB/s read bandwidth", bw.value() / 1e9)).append(": ");
                List<String> parts = new ArrayList<>();
                for (String c : columns) {
                    Score s = decode.get(c);
                    long bytes = s == null ? 0 : weightBytesPerToken(model, c);
                    if (bytes <= 0) continue;
                    double gbs = bytes * s.value() / 1e9;
                    parts.add(String.format(Locale.ROOT, "%s %.1f MB/token, %.1f GB/s", c, bytes / 1e6, gbs)
                            + (bw == null ? "" : String.format(Locale.ROOT, " (%.0f%%)", 100 * gbs * 1e9 / bw.value())));
                }
                md.append(String.join("; ", parts)).append(".\n");
            }
            md.append('\n');
        }
        for (var b : bandwidth.entrySet()) {
            double error = b.getValue().error();
            md.append(String.format(Locale.ROOT, "Memory read bandwidth, %d thread%s: %.1f%s GB/s%n", b.getKey(),
                    b.getKey() == 1 ? "" : "s", b.getValue().value() / 1e9,
                    Double.isNaN(error) ? "" : String.format(Locale.ROOT, " ± %.1f", error / 1e9)));
        }
        return md.toString();
    }

    /** Euclid precisions, then llama.cpp types, in a fixed order. */
    private static List<String> columns(Map<String, Map<String, Score>> metrics) {
        List<String> present = new ArrayList<>();
        for (Map<String, Score> m : metrics.values()) for (String c : m.keySet()) if (!present.contains(c)) present.add(c);
        List<String> ordered = new ArrayList<>();
        for (String w : EUCLID) if (present.contains("Euclid " + w)) ordered.add("Euclid " + w);
        for (String t : LLAMA) if (present.contains("llama.cpp " + t)) ordered.add("llama.cpp " + t);
        for (String c : present) if (!ordered.contains(c)) ordered.add(c);
        return ordered;
    }

    /** Weight bytes one decode step reads, from the cached files the benchmark ran on; 0 if unknown. */
    private static long weightBytesPerToken(String model, String contender) {
        try {
            if (contender.startsWith("Euclid ")) {
                try (Engine e = Engine.open(BenchModels.engineFile(model, Precision.parse(contender.substring(7))))) {
                    return e.weightBytesPerToken();
                }
            }
            return BenchFiles.ggufBytesPerToken(BenchModels.ggufFile(model, contender.substring("llama.cpp ".length())));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) return "?";
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.1f", v);
    }
}
