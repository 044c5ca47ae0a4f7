package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.cli.bench.ComparisonSuite.Cell;
import dev.euclid.cli.bench.ComparisonSuite.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The suite's Markdown and JSON. */
final class ComparisonReport {
    static final String LLAMA_BINDING = "de.kherud:llama 4.2.0";
    /** Issue 3's targets: Euclid at least as fast as llama.cpp at this thread count; decode near the bandwidth limit on 1b. */
    static final int TARGET_THREADS = 2;
    static final String TARGET_BANDWIDTH_SHAPE = "1b";
    static final double TARGET_BANDWIDTH_FRACTION = 0.80;

    private static final Contender[] EUCLID = {Contender.EUCLID_FP16, Contender.EUCLID_FP8, Contender.EUCLID_INT8,
            Contender.EUCLID_Q4_0};
    /** Issue 21's INT8 and BF16 activations, each against llama.cpp and against its FP32-activation twin. */
    private static final Map<Contender, Contender> LOW_PRECISION_ACTIVATIONS = new EnumMap<>(
            Map.of(Contender.EUCLID_FP8_B16, Contender.EUCLID_FP8, Contender.EUCLID_INT8_A8, Contender.EUCLID_INT8,
                    Contender.EUCLID_NVFP4_A8, Contender.EUCLID_NVFP4, Contender.EUCLID_MXFP4_A8, Contender.EUCLID_MXFP4,
                    Contender.EUCLID_Q4_0_A8, Contender.EUCLID_Q4_0));
    /** Issue 21's block-scaled formats, each against Euclid FP8 of the same cell. */
    private static final Contender[] BLOCK_SCALED = {Contender.EUCLID_NVFP4, Contender.EUCLID_MXFP4, Contender.EUCLID_MXFP8};
    /** Issue 21's targets: NVFP4 decode ≥ 1.6× FP8 (0.56 vs 1.0 bytes per weight), 4-bit decode ≥ 90% of read bandwidth. */
    static final double TARGET_NVFP4_OVER_FP8 = 1.6;
    /** Issue 21's targets against the 4-bit files llama.cpp users run: NVFP4 decode ≥ 1.2× Q4_K_M and ≥ 1.0× Q4_0. */
    static final double TARGET_NVFP4_OVER_Q4_K_M = 1.2;
    static final double TARGET_NVFP4_OVER_Q4_0 = 1.0;
    /** The 4-bit rows set against llama.cpp Q4_K_M (when a native build made that file). */
    private static final Contender[] AGAINST_Q4_K_M = {Contender.EUCLID_Q4_K_M_A8, Contender.EUCLID_NVFP4_A8,
            Contender.EUCLID_MXFP4_A8, Contender.EUCLID_Q4_0_A8, Contender.EUCLID_NVFP4};
    static final double TARGET_4BIT_BANDWIDTH_FRACTION = 0.90;

    private ComparisonReport() {}

    /** What measured llama.cpp: the native binary given, else the Maven binding. */
    private static String peer(Report r) {
        Path binary = r.options().llamaBench();
        return binary != null ? "native llama-bench " + binary : LLAMA_BINDING;
    }

    static String markdown(Report r) {
        ComparisonSuite.Options o = r.options();
        StringBuilder md = new StringBuilder();
        md.append("# Euclid vs llama.cpp on CPU, ").append(ComparisonSuite.date(r.started())).append("\n\n");
        md.append("Command: `").append(command(r)).append("`\n\n");
        MachineInfo m = r.machine();
        md.append("| | |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| machine | %s, %d logical CPUs (%d available to the JVM), %.1f GiB RAM |%n",
                m.cpu(), m.logicalCpus(), m.availableProcessors(), m.memoryBytes() / (double) (1L << 30)));
        md.append("| OS, JVM | ").append(m.os()).append(", ").append(m.jvm()).append(" |\n");
        md.append("| load average (1, 5, 15 min) | before ").append(r.loadBefore()).append("; after ").append(r.loadAfter())
                .append(r.niceness() == null ? "" : "; suite ran at nice " + r.niceness()).append(" |\n");
        String version = ComparisonReport.class.getPackage().getImplementationVersion();
        md.append("| Euclid | ").append(version == null ? "development build" : version).append(" |\n");
        md.append("| llama.cpp | ").append(peer(r)).append(r.llamaBuild() == null ? "" : ", llama.cpp build " + r.llamaBuild())
                .append(", CPU backend |\n");
        md.append(String.format(Locale.ROOT,
                "| workload | prompt of %d token ids (no BOS), then %d greedy tokens with stop tokens off, batch 1; "
                        + "median of %d run%s after 1 warm-up%s%s |%n%n",
                o.promptTokens(), o.genTokens(), o.runs(), o.runs() == 1 ? "" : "s",
                o.passes() == 1 ? "" : String.format(Locale.ROOT, ", in each of %d passes through the contenders", o.passes()),
                o.quick() ? " (--quick)" : ""));

        md.append("## Euclid / llama.cpp\n\n");
        md.append("Ratios of tokens/s, same synthetic weights, same thread count, measured in the same run. "
                + "Above 1 means Euclid is faster. Load: the machine's 1-minute load average when the row started.\n\n");
        md.append("| shape | threads | FP16 / F16 decode | FP16 / F16 prefill | FP8 / Q8_0 decode | FP8 / Q8_0 prefill "
                + "| INT8 / Q8_0 decode | INT8 / Q8_0 prefill | Q4_0 / Q4_0 decode | Q4_0 / Q4_0 prefill | load at start |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : r.cells()) {
            md.append("| ").append(c.shape()).append(" | ").append(c.threads());
            for (Contender e : EUCLID) {
                md.append(" | ").append(ratio(c.ratio(e, true))).append(" | ").append(ratio(c.ratio(e, false)));
            }
            md.append(" | ").append(c.load()).append(" |\n");
        }

        md.append("\n## Block-scaled formats / Euclid FP8\n\n");
        md.append("Ratios of Euclid's tokens/s in NVFP4, MXFP4 and MXFP8 over Euclid FP8, same weights and run. With 4-bit "
                + "weights the embedding and LM head stay INT8.\n\n");
        md.append("| shape | threads | NVFP4 / FP8 decode | NVFP4 / FP8 prefill | MXFP4 / FP8 decode | MXFP4 / FP8 prefill "
                + "| MXFP8 / FP8 decode | MXFP8 / FP8 prefill |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Cell c : r.cells()) {
            md.append("| ").append(c.shape()).append(" | ").append(c.threads());
            for (Contender e : BLOCK_SCALED) {
                md.append(" | ").append(ratio(c.speedup(e, Contender.EUCLID_FP8, true)))
                        .append(" | ").append(ratio(c.speedup(e, Contender.EUCLID_FP8, false)));
            }
            md.append(" |\n");
        }

        md.append("\n## Low-precision activations\n\n");
        md.append("Euclid with INT8 activations (`_A8`) or BF16 activations (`_B16`) on the same engine files, over llama.cpp "
                + "and over Euclid with FP32 activations, same run.\n\n");
        md.append("| shape | threads | weights | decode / llama.cpp | prefill / llama.cpp | decode / FP32 activations "
                + "| prefill / FP32 activations |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|\n");
        for (Cell c : r.cells()) {
            for (Map.Entry<Contender, Contender> e : LOW_PRECISION_ACTIVATIONS.entrySet()) {
                md.append("| ").append(c.shape()).append(" | ").append(c.threads()).append(" | ").append(e.getKey().weights())
                        .append(" (vs ").append(Contender.baselineOf(e.getKey()).weights()).append(")")
                        .append(" | ").append(ratio(c.ratio(e.getKey(), true))).append(" | ").append(ratio(c.ratio(e.getKey(), false)))
                        .append(" | ").append(ratio(c.speedup(e.getKey(), e.getValue(), true)))
                        .append(" | ").append(ratio(c.speedup(e.getKey(), e.getValue(), false))).append(" |\n");
            }
        }

        if (r.cells().stream().anyMatch(c -> c.results().containsKey(Contender.LLAMA_Q4_K_M))) {
            md.append("\n## 4-bit / llama.cpp Q4_K_M\n\n");
            md.append("Euclid's 4-bit formats over llama.cpp's Q4_K_M file (`llama-quantize`'s mix of the same F16 weights: "
                    + "Q4_K, some matrices Q6_K), same run. Q4_K_M_A8 is Euclid on that very file (Q4_K blocks as Q4_1, "
                    + "Q6_K as INT8, so it reads more bytes per token than llama.cpp does), INT8 activations.\n\n");
            md.append("| shape | threads | weights | decode / Q4_K_M | prefill / Q4_K_M |\n|---|---:|---|---:|---:|\n");
            for (Cell c : r.cells()) {
                for (Contender e : AGAINST_Q4_K_M) {
                    md.append("| ").append(c.shape()).append(" | ").append(c.threads()).append(" | ").append(e.weights())
                            .append(" | ").append(ratio(c.speedup(e, Contender.LLAMA_Q4_K_M, true)))
                            .append(" | ").append(ratio(c.speedup(e, Contender.LLAMA_Q4_K_M, false))).append(" |\n");
                }
            }
        }

        md.append("\n## Tokens/s and memory bandwidth\n\n");
        md.append("Medians").append(o.runs() > 1 ? " (min–max over the runs)" : "").append(
                ". Weight MB/token: bytes one decode step reads (every matrix; one row of the token embedding). "
                        + "Decode GB/s = weight bytes/token × decode tokens/s; the last column divides it by the memory "
                        + "read bandwidth measured beside the row with the same thread count (read GB/s: a 1 GiB streaming read, best of 5 passes, probed before and after every row; the better of a row's two probes counts). "
                        + "A shared host's bandwidth moves by 2x within a minute, so a row's share is against its own probes, not the run's best.\n\n");
        md.append("| shape | threads | read GB/s | engine | weights | weight MB/token | prefill tok/s | decode tok/s | decode GB/s | % of read bandwidth |\n");
        md.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|\n");
        for (Cell c : r.cells()) {
            for (Contender k : Contender.values()) {
                Measurement x = c.results().get(k);
                if (x == null) continue;
                md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %s | %s | %.1f | %s | %s | %.1f | %.0f%% |%n",
                        c.shape(), c.threads(), x.memoryBandwidth() / 1e9, k.engine(), k.weights(),
                        x.weightBytesPerToken() / 1e6, spread(x.prefillRuns()), spread(x.decodeRuns()),
                        x.decodeBandwidth() / 1e9, 100 * c.bandwidthFraction(k)));
            }
        }

        if (!r.failures().isEmpty()) {
            md.append("\nFailed measurements (missing above):\n\n");
            for (String f : r.failures()) md.append("- ").append(f).append('\n');
        }

        md.append("\n![decode and prefill tokens/s per shape, thread count and engine](bench.png)\n");
        md.append("\n## Speed targets (issues 3 and 21)\n\n");
        for (String line : targets(r)) md.append("- ").append(line).append('\n');

        md.append("\n## How this was measured\n\n");
        md.append("- Models: `synthetic:SHAPE` random weights (seed ").append(dev.euclid.synthetic.SyntheticModels.SEED)
                .append("). Euclid opens engine files built from the F16 Hugging Face folder (`euclid build --weights fp16|fp8|int8|nvfp4|mxfp4|mxfp8`) "
                        + "and from llama.cpp's Q4_0 file (`--weights q4_0`: its blocks copied, the same weights); "
                        + "llama.cpp opens GGUF files of the same seed written by Euclid's GGUF writer (F16, Q8_0, Q4_0) and, with a native build, "
                        + "the Q4_K_M file its llama-quantize makes of the F16 one. Both cached in `")
                .append(o.cache()).append("`.\n");
        md.append("- Euclid runs in the suite's JVM through the public API (prefix caching off, so every run computes the prompt); "
                + "prefill = prompt tokens / time to the first generated token, decode = (generated − 1) / time from the first to the last token.\n");
        if (o.llamaBench() != null) {
            md.append("- llama.cpp is the native `llama-bench` binary given (`-p ").append(o.promptTokens()).append(" -n ").append(o.genTokens())
                    .append(" -r ").append(o.runs()).append(" -o jsonl`, after its own warm-up). Times: ").append(r.llamaTiming())
                    .append(": prefill = the prompt test's tokens/s, decode = the generation test's, which starts from an empty "
                            + "context (Euclid's decode follows the prompt).\n");
        } else {
            md.append("- llama.cpp runs in a child JVM per measurement (de.kherud's closed model leaves a native thread alive; the child halts itself). "
                    + "de.kherud's build is AVX2-only: on AVX-512 CPUs a native build (`--llama-bench PATH`) runs about twice as fast. "
                    + "The prompt is sent as token ids, `cache_prompt` off, `n_predict` fixed with EOS ignored, greedy (top-k 1). "
                    + "Times: ").append(r.llamaTiming() == null ? "n/a" : r.llamaTiming()).append(
                            ": prefill = tokens / `prompt eval time` (prompt processing up to the first sampled token), "
                            + "decode = (tokens − 1) / `eval time` (first to last generated token; llama.cpp itself divides by all tokens, "
                            + "which overstates its rate by 1/(tokens − 1)).\n");
        }
        md.append("- Order inside each shape and thread count: ")
                .append(String.join(", ", ComparisonSuite.order(o).stream().map(Contender::label).toList()))
                .append(", with a bandwidth probe before the first and after every one, so each ratio compares measurements taken minutes apart at most")
                .append(o.passes() == 1 ? ".\n" : String.format(Locale.ROOT, "; %d passes in that order, each contender's runs spread over all of them.%n", o.passes()));
        md.append("- The machine may be shared: compare ratios from one run, look at the min–max spread and the load average, and rerun when they disagree.\n");
        return md.toString();
    }

    /** One line per target: met, not met, or not measured. */
    static List<String> targets(Report r) {
        List<String> lines = new ArrayList<>();
        for (String shape : r.options().shapes()) {
            Cell c = cell(r, shape, TARGET_THREADS);
            if (c == null) {
                lines.add(shape + ", " + TARGET_THREADS + " threads, ≥ 1.0× llama.cpp on decode and prefill: not measured");
                continue;
            }
            List<String> below = new ArrayList<>();
            for (Contender e : EUCLID) {
                String name = e.weights() + " / " + Contender.baselineOf(e).weights();
                if (!(c.ratio(e, true) >= 1.0)) below.add(name + " decode " + ratio(c.ratio(e, true)));
                if (!(c.ratio(e, false) >= 1.0)) below.add(name + " prefill " + ratio(c.ratio(e, false)));
            }
            lines.add(shape + ", " + TARGET_THREADS + " threads, ≥ 1.0× llama.cpp on decode and prefill: "
                    + (below.isEmpty() ? "**met** (all eight ratios)" : "**not met**: " + String.join(", ", below)));
        }
        Cell c = cell(r, TARGET_BANDWIDTH_SHAPE, TARGET_THREADS);
        String head = String.format(Locale.ROOT, "%s, %d threads, decode ≥ %.0f%% of read bandwidth: ", TARGET_BANDWIDTH_SHAPE,
                TARGET_THREADS, 100 * TARGET_BANDWIDTH_FRACTION);
        if (c == null) {
            lines.add(head + "not measured");
        } else {
            // Each precision is judged on its own: one fast format does not excuse a slow one.
            List<String> parts = new ArrayList<>(), met = new ArrayList<>(), missed = new ArrayList<>();
            for (Contender e : EUCLID) {
                double f = c.bandwidthFraction(e);
                (f >= TARGET_BANDWIDTH_FRACTION ? met : missed).add(e.weights());
                parts.add(String.format(Locale.ROOT, "%s %.0f%%", e.weights(), 100 * f));
            }
            String verdict = missed.isEmpty() ? "**met**"
                    : met.isEmpty() ? "**not met**"
                    : "**met** for " + String.join(", ", met) + "; **not met** for " + String.join(", ", missed);
            lines.add(head + verdict + " (" + String.join(", ", parts) + ")");
        }
        String nvfp4 = String.format(Locale.ROOT, "%s, %d threads, NVFP4 decode ≥ %.1f× Euclid FP8: ", TARGET_BANDWIDTH_SHAPE,
                TARGET_THREADS, TARGET_NVFP4_OVER_FP8);
        // Either activation mode counts (a user picks the faster); both are listed.
        double speedup = Double.NaN;
        List<String> modes = new ArrayList<>();
        for (Contender e : List.of(Contender.EUCLID_NVFP4_A8, Contender.EUCLID_NVFP4)) {
            double s = c == null ? Double.NaN : c.speedup(e, Contender.EUCLID_FP8, true);
            if (Double.isNaN(s)) continue;
            speedup = Double.isNaN(speedup) ? s : Math.max(speedup, s);
            modes.add(e.weights() + " " + ratio(s).replace("**", ""));
        }
        lines.add(nvfp4 + (Double.isNaN(speedup) ? "not measured"
                : (speedup >= TARGET_NVFP4_OVER_FP8 ? "**met** (" : "**not met** (") + String.join(", ", modes) + ")"));
        lines.add(nvfp4Over(c, Contender.LLAMA_Q4_K_M, TARGET_NVFP4_OVER_Q4_K_M,
                " (needs --llama-bench: the native build's llama-quantize makes the Q4_K_M file)"));
        lines.add(nvfp4Over(c, Contender.LLAMA_Q4_0, TARGET_NVFP4_OVER_Q4_0, ""));
        String wall = String.format(Locale.ROOT, "%s, %d threads, 4-bit decode ≥ %.0f%% of read bandwidth: ", TARGET_BANDWIDTH_SHAPE,
                TARGET_THREADS, 100 * TARGET_4BIT_BANDWIDTH_FRACTION);
        List<String> fractions = new ArrayList<>();
        boolean all = c != null;
        // Each format is met when one of its activation modes is.
        for (List<Contender> format : List.of(List.of(Contender.EUCLID_NVFP4_A8, Contender.EUCLID_NVFP4),
                List.of(Contender.EUCLID_MXFP4_A8, Contender.EUCLID_MXFP4))) {
            boolean met = false;
            for (Contender e : format) {
                double f = c == null ? Double.NaN : c.bandwidthFraction(e);
                met |= f >= TARGET_4BIT_BANDWIDTH_FRACTION;
                if (!Double.isNaN(f)) fractions.add(String.format(Locale.ROOT, "%s %.0f%%", e.weights(), 100 * f));
            }
            all &= met;
        }
        lines.add(wall + (fractions.isEmpty() ? "not measured"
                : (all ? "**met**" : "**not met**") + " (" + String.join(", ", fractions) + ")"));
        return lines;
    }

    /** The target line "NVFP4 decode ≥ target× llama.cpp X", met when either activation mode is; both listed. */
    private static String nvfp4Over(Cell c, Contender llama, double target, String whyMissing) {
        String head = String.format(Locale.ROOT, "%s, %d threads, NVFP4 decode ≥ %.1f× llama.cpp %s: ", TARGET_BANDWIDTH_SHAPE,
                TARGET_THREADS, target, llama.weights());
        double best = Double.NaN;
        List<String> modes = new ArrayList<>();
        for (Contender e : List.of(Contender.EUCLID_NVFP4_A8, Contender.EUCLID_NVFP4)) {
            double s = c == null ? Double.NaN : c.speedup(e, llama, true);
            if (Double.isNaN(s)) continue;
            best = Double.isNaN(best) ? s : Math.max(best, s);
            modes.add(e.weights() + " " + ratio(s).replace("**", ""));
        }
        if (Double.isNaN(best)) return head + "not measured" + whyMissing;
        return head + (best >= target ? "**met** (" : "**not met** (") + String.join(", ", modes) + ")";
    }

    static String json(Report r) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("date", r.started().toString());
        root.put("command", command(r));
        MachineInfo m = r.machine();
        ObjectNode machine = root.putObject("machine");
        machine.put("cpu", m.cpu());
        machine.put("logical_cpus", m.logicalCpus());
        machine.put("available_processors", m.availableProcessors());
        machine.put("memory_bytes", m.memoryBytes());
        machine.put("os", m.os());
        machine.put("jvm", m.jvm());
        machine.put("load_average_before", r.loadBefore());
        machine.put("load_average_after", r.loadAfter());
        if (r.niceness() != null) machine.put("nice", r.niceness());
        root.put("llama_cpp", peer(r) + (r.llamaBuild() == null ? "" : ", build " + r.llamaBuild()));
        root.put("llama_cpp_timing", r.llamaTiming());
        ComparisonSuite.Options o = r.options();
        ObjectNode settings = root.putObject("settings");
        settings.put("prompt_tokens", o.promptTokens());
        settings.put("gen_tokens", o.genTokens());
        settings.put("runs", o.runs());
        settings.put("passes", o.passes());
        settings.put("quick", o.quick());
        ArrayNode cells = root.putArray("cells");
        for (Cell c : r.cells()) {
            ObjectNode cell = cells.addObject();
            cell.put("shape", c.shape());
            cell.put("threads", c.threads());
            cell.put("load_average_1min_at_start", c.load());
            ArrayNode results = cell.putArray("results");
            for (Measurement x : c.results().values()) {
                ObjectNode n = results.addObject();
                n.put("engine", x.contender().engine());
                n.put("weights", x.contender().weights());
                n.put("prefill_tokens_per_s", x.prefillTokensPerSecond());
                n.put("decode_tokens_per_s", x.decodeTokensPerSecond());
                ArrayNode pr = n.putArray("prefill_tokens_per_s_runs");
                for (double v : x.prefillRuns()) pr.add(v);
                ArrayNode dr = n.putArray("decode_tokens_per_s_runs");
                for (double v : x.decodeRuns()) dr.add(v);
                n.put("weight_bytes_per_token", x.weightBytesPerToken());
                n.put("decode_bandwidth_bytes_per_s", x.decodeBandwidth());
                n.put("memory_read_bandwidth_bytes_per_s", x.memoryBandwidth());
                n.put("decode_bandwidth_fraction", c.bandwidthFraction(x.contender()));
                n.put("timing", x.timingSource());
            }
            ObjectNode ratios = cell.putObject("ratios");
            for (Contender e : EUCLID) {
                String key = e.weights().toLowerCase(Locale.ROOT) + "_vs_" + Contender.baselineOf(e).weights().toLowerCase(Locale.ROOT);
                ratios.put(key + "_decode", c.ratio(e, true));
                ratios.put(key + "_prefill", c.ratio(e, false));
            }
            for (Map.Entry<Contender, Contender> e : LOW_PRECISION_ACTIVATIONS.entrySet()) {
                String key = e.getKey().weights().toLowerCase(Locale.ROOT);
                String llama = Contender.baselineOf(e.getKey()).weights().toLowerCase(Locale.ROOT);
                ratios.put(key + "_vs_" + llama + "_decode", c.ratio(e.getKey(), true));
                ratios.put(key + "_vs_" + llama + "_prefill", c.ratio(e.getKey(), false));
                ratios.put(key + "_vs_fp32_activations_decode", c.speedup(e.getKey(), e.getValue(), true));
                ratios.put(key + "_vs_fp32_activations_prefill", c.speedup(e.getKey(), e.getValue(), false));
            }
            if (c.results().containsKey(Contender.LLAMA_Q4_K_M)) {
                for (Contender e : AGAINST_Q4_K_M) {
                    String key = e.weights().toLowerCase(Locale.ROOT) + "_vs_q4_k_m";
                    ratios.put(key + "_decode", c.speedup(e, Contender.LLAMA_Q4_K_M, true));
                    ratios.put(key + "_prefill", c.speedup(e, Contender.LLAMA_Q4_K_M, false));
                }
            }
            for (Contender e : BLOCK_SCALED) {
                String key = e.weights().toLowerCase(Locale.ROOT) + "_vs_fp8";
                ratios.put(key + "_decode", c.speedup(e, Contender.EUCLID_FP8, true));
                ratios.put(key + "_prefill", c.speedup(e, Contender.EUCLID_FP8, false));
            }
        }
        ArrayNode failures = root.putArray("failures");
        for (String f : r.failures()) failures.add(f);
        ArrayNode targets = root.putArray("targets");
        for (String t : targets(r)) targets.add(t.replace("**", ""));
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String command(Report r) {
        String c = r.command();
        return c == null || c.isBlank() ? "euclid bench --compare" : c;
    }

    private static Cell cell(Report r, String shape, int threads) {
        for (Cell c : r.cells()) if (c.shape().equals(shape) && c.threads() == threads) return c;
        return null;
    }

    private static String ratio(double v) {
        if (Double.isNaN(v)) return "–";
        String s = String.format(Locale.ROOT, "%.2f×", v);
        return v >= 1.0 ? "**" + s + "**" : s;
    }

    private static String spread(double[] runs) {
        double median = Measurement.median(runs);
        if (runs.length < 2) return number(median);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : runs) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return number(median) + " (" + number(lo) + "–" + number(hi) + ")";
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }
}
