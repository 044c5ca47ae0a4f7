package dev.euclid.cli.bench;

import dev.euclid.Completion;
import dev.euclid.Diagnostics;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.Request;
import dev.euclid.Sampling;
import dev.euclid.synthetic.ModelShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * {@code euclid bench --compare}: Euclid (FP16, FP8, INT8, NVFP4, MXFP4, MXFP8, Q4_0 engine files; INT8,
 * NVFP4, MXFP4 and Q4_0 also with INT8 activations, FP8 with BF16 activations; with a native llama.cpp
 * build, llama.cpp's Q4_K_M file with INT8 activations) against llama.cpp (F16, Q8_0 and Q4_0 GGUF files
 * of the same synthetic weights; Q4_K_M) for each shape and thread count, in one run:
 * prefill tokens/s of a fixed token-id prompt, decode tokens/s at batch 1, the machine's memory read
 * bandwidth at the same thread count, the Euclid / llama.cpp ratios and decode's share of the
 * bandwidth. Writes {@code bench.md}, {@code bench.json} and {@code bench.png} to the output folder.
 *
 * <p>Engine files and GGUF files are built once into {@code <cache>/bench} and reused. llama.cpp runs
 * in a child JVM per measurement (see {@link LlamaCppRunner}), or as a native llama-bench binary when
 * one is given ({@link LlamaBenchRunner}); Euclid runs in this JVM.
 */
public final class ComparisonSuite {
    /**
     * The order of the measurements in a cell: each Euclid precision right beside its llama.cpp
     * baseline, so slow drift in the machine's load hits both sides of a ratio alike.
     */
    static final List<Contender> ORDER = List.of(Contender.EUCLID_FP16, Contender.LLAMA_F16, Contender.EUCLID_FP8,
            Contender.LLAMA_Q8_0, Contender.EUCLID_FP8_B16, Contender.EUCLID_INT8, Contender.EUCLID_INT8_A8, Contender.EUCLID_NVFP4,
            Contender.EUCLID_NVFP4_A8, Contender.EUCLID_MXFP4, Contender.EUCLID_MXFP4_A8, Contender.EUCLID_MXFP8,
            Contender.EUCLID_Q4_0, Contender.EUCLID_Q4_0_A8, Contender.LLAMA_Q4_0, Contender.EUCLID_Q4_K_M_A8,
            Contender.LLAMA_Q4_K_M);

    /**
     * {@link #ORDER} less the contenders on llama.cpp's Q4_K_M file when no native build (whose
     * llama-quantize makes that file) is given.
     */
    static List<Contender> order(Options o) {
        return ORDER.stream().filter(c -> c.llamaQuantizeType() == null || o.llamaBench() != null).toList();
    }

    /** Bytes streamed by the bandwidth probe: 1 GiB, far beyond any cache. */
    static final long BANDWIDTH_BYTES = 1L << 30;

    /**
     * @param threads kernel threads per measurement; 0 = all available processors
     * @param runs measured generations per contender and pass (the median over all passes is reported), after one warm-up
     * @param passes times the cell's contenders are measured in turn: with several, every contender's runs are spread over
     *     the whole cell, so a change in the machine's bandwidth during the cell does not land on one side of a ratio
     * @param cache folder for engine and GGUF files
     * @param command the command line to print in the report; null = this process's own
     * @param llamaBench a native llama-bench binary to measure llama.cpp with; null = de.kherud:llama in a child JVM
     */
    public record Options(List<String> shapes, List<Integer> threads, int promptTokens, int genTokens, int runs, int passes,
            boolean quick, Path out, Path cache, String command, Path llamaBench) {
        public Options {
            shapes = List.copyOf(shapes);
            threads = List.copyOf(threads);
            if (shapes.isEmpty()) throw new IllegalArgumentException("--shapes needs at least one shape");
            for (String s : shapes) ModelShape.named(s); // unknown names fail here, with the list of known ones
            if (threads.isEmpty()) throw new IllegalArgumentException("--threads needs at least one count");
            for (int t : threads) if (t < 0) throw new IllegalArgumentException("threads must be >= 0, got " + t);
            if (promptTokens < 1) throw new IllegalArgumentException("prompt tokens must be >= 1, got " + promptTokens);
            if (genTokens < 2) throw new IllegalArgumentException("gen tokens must be >= 2, got " + genTokens);
            if (runs < 1) throw new IllegalArgumentException("runs must be >= 1, got " + runs);
            if (passes < 1) throw new IllegalArgumentException("passes must be >= 1, got " + passes);
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(cache, "cache");
        }

        /** Thread counts with 0 replaced by the number of available processors, duplicates removed. */
        List<Integer> resolvedThreads() {
            int cores = Runtime.getRuntime().availableProcessors();
            return threads.stream().map(t -> t == 0 ? cores : t).distinct().toList();
        }
    }

    /**
     * One (shape, threads) cell: every contender's speed, each with the read bandwidth probed beside it.
     *
     * @param load the 1-minute load average when the cell started
     */
    public record Cell(String shape, int threads, Map<Contender, Measurement> results, String load) {
        /** Euclid's speed over its llama.cpp baseline ({@link Contender#baselineOf}); NaN when either is missing. */
        public double ratio(Contender euclid, boolean decode) {
            return speedup(euclid, Contender.baselineOf(euclid), decode);
        }

        /** a's speed over b's; NaN when either is missing. */
        public double speedup(Contender a, Contender b, boolean decode) {
            Measurement e = results.get(a), l = results.get(b);
            if (e == null || l == null) return Double.NaN;
            return decode ? e.decodeTokensPerSecond() / l.decodeTokensPerSecond()
                    : e.prefillTokensPerSecond() / l.prefillTokensPerSecond();
        }

        /** Decode's effective bandwidth (weight bytes per token × tokens/s) over the read bandwidth beside it. */
        public double bandwidthFraction(Contender c) {
            Measurement m = results.get(c);
            return m == null ? Double.NaN : m.bandwidthFraction();
        }
    }

    /** Everything a report shows. */
    public record Report(Options options, String command, MachineInfo machine, ZonedDateTime started, String loadBefore, String loadAfter,
            Integer niceness, String llamaBuild, String llamaTiming, List<Cell> cells, List<String> failures) {}

    private ComparisonSuite() {}

    /** Prepares the files, measures every cell with a progress bar on stderr, and returns the results. */
    public static Report run(Options o) {
        if (o.llamaBench() == null && !LlamaCppRunner.available()) {
            throw new IllegalStateException("--compare needs llama.cpp (de.kherud:llama) on the class path; run it from euclid-cli.jar");
        }
        ZonedDateTime started = ZonedDateTime.now();
        String loadBefore = MachineInfo.loadAverage();
        List<Integer> threads = o.resolvedThreads();
        Path dir = o.cache();
        List<Runnable> prep = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Map<String, Map<Contender, Path>> files = new LinkedHashMap<>();
        for (String shape : o.shapes()) {
            Map<Contender, Path> f = new EnumMap<>(Contender.class);
            for (Contender c : order(o)) {
                Path p = artifact(dir, shape, c);
                // Contenders that differ only in activations share one file: build it once.
                if (!Files.isRegularFile(p) && !f.containsValue(p)) {
                    prep.add(() -> {
                        try {
                            build(dir, shape, c, o.llamaBench());
                        } catch (RuntimeException e) {
                            // llama-quantize's file is an extra (it needs a C compiler for the peer's preload
                            // library): without it that row is missing, and the failure says why.
                            if (c.llamaQuantizeType() == null) throw e;
                            failures.add(shape + ", " + c.label() + ": " + e.getMessage()
                                    + (e.getCause() != null ? ": " + e.getCause().getMessage() : ""));
                        }
                    });
                }
                f.put(c, p);
            }
            files.put(shape, f);
        }
        int contenders = order(o).size();
        long total = prep.size() + (long) o.shapes().size() * threads.size() * (1 + (long) o.passes() * contenders * (o.runs() + 2L));
        List<Cell> cells = new ArrayList<>();
        Peer peer = new Peer();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("compare").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).build()) {
            bar.setExtraMessage("building model files");
            for (Runnable r : prep) {
                r.run();
                bar.step();
            }
            for (String shape : o.shapes()) {
                int vocab = ModelShape.named(shape).vocab();
                for (int t : threads) {
                    String load = MachineInfo.loadAverage().split(" ")[0];
                    // A probe before the first row and after every row: a row's limit is the better of the two
                    // beside it. A shared host's bandwidth moves by 2x within a minute, so only a probe taken
                    // beside a row says how close that row came to the memory wall.
                    bar.setExtraMessage(shape + " t" + t + " memory bandwidth");
                    double before = Diagnostics.memoryReadBandwidth(BANDWIDTH_BYTES, t);
                    bar.step();
                    Map<Contender, List<Measurement>> passes = new EnumMap<>(Contender.class);
                    for (int pass = 0; pass < o.passes(); pass++) {
                        for (Contender c : order(o)) {
                            bar.setExtraMessage(shape + " t" + t + " " + c.label());
                            long base = bar.getCurrent();
                            IntConsumer progress = done -> bar.stepTo(base + done);
                            Path file = files.get(shape).get(c);
                            if (!Files.isRegularFile(file)) {  // llama-quantize could not make it (a failure says why)
                                bar.stepTo(base + o.runs() + 2);
                                continue;
                            }
                            Measurement m = null;
                            try {
                                m = c.isEuclid() ? measureEuclid(file, c, t, o, vocab, progress) : measureLlama(file, c, t, o, vocab, progress, peer);
                            } catch (RuntimeException e) {
                                // One failed measurement (say, out of memory on a large shape) leaves a gap, not a lost run.
                                String failure = shape + ", " + t + " threads, " + c.label() + ": " + e.getMessage();
                                if (!failures.contains(failure)) failures.add(failure);  // once, not once per pass
                            }
                            bar.stepTo(base + o.runs() + 1);
                            bar.setExtraMessage(shape + " t" + t + " memory bandwidth");
                            double after = Diagnostics.memoryReadBandwidth(BANDWIDTH_BYTES, t);
                            bar.step();
                            if (m != null) passes.computeIfAbsent(c, k -> new ArrayList<>()).add(m.withMemoryBandwidth(Math.max(before, after)));
                            before = after;
                        }
                    }
                    Map<Contender, Measurement> results = new EnumMap<>(Contender.class);
                    passes.forEach((c, ms) -> results.put(c, Measurement.merge(ms)));
                    cells.add(new Cell(shape, t, results, load));
                }
            }
            bar.setExtraMessage("done");
        }
        String command = o.command() != null ? o.command() : MachineInfo.commandLine();
        return new Report(o, command, MachineInfo.current(), started, loadBefore, MachineInfo.loadAverage(), MachineInfo.niceness(),
                peer.build, peer.timing, cells, failures);
    }

    /** What the llama.cpp runs said about the peer: its build, and where its times come from. */
    private static final class Peer {
        String build;
        String timing;
    }

    /** One run of llama.cpp's contender: the native llama-bench given, else de.kherud's binding in a child JVM. */
    private static Measurement measureLlama(Path gguf, Contender c, int threads, Options o, int vocab, IntConsumer progress, Peer peer) {
        LlamaCppRunner.Result r = o.llamaBench() != null
                ? LlamaBenchRunner.measure(o.llamaBench(), gguf, threads, o.promptTokens(), o.genTokens(), o.runs(), progress)
                : LlamaCppRunner.measure(gguf, threads, o.promptTokens(), o.genTokens(), o.runs(), vocab, progress);
        if (r.build() != null) peer.build = r.build();
        peer.timing = r.source();
        return new Measurement(c, r.prefill(), r.decode(), BenchFiles.ggufBytesPerToken(gguf), r.source());
    }

    /** Writes bench.md, bench.json and bench.png into {@code options.out()}; returns the Markdown. */
    public static String write(Report report) {
        Path out = report.options().out();
        try {
            Files.createDirectories(out);
            String md = ComparisonReport.markdown(report);
            Files.writeString(out.resolve("bench.md"), md);
            Files.writeString(out.resolve("bench.json"), ComparisonReport.json(report));
            ComparisonChart.write(report, out.resolve("bench.png"));
            return md;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + out, e);
        }
    }

    static Path artifact(Path dir, String shape, Contender c) {
        if (c.isEuclid() && c.llamaQuantizeType() != null) return BenchFiles.llamaEnginePath(dir, shape, c.llamaQuantizeType());
        if (c.isEuclid()) return BenchFiles.enginePath(dir, shape, c.precision());
        return c.llamaQuantizeType() != null ? BenchFiles.ggufPath(dir, shape, c.llamaQuantizeType())
                : BenchFiles.ggufPath(dir, shape, c.ggufType());
    }

    /** Builds one engine file or GGUF file into the cache ({@code llamaBench}: the native build whose llama-quantize makes Q4_K_M). */
    static void build(Path dir, String shape, Contender c, Path llamaBench) {
        Path llamaBin = llamaBench == null ? null : llamaBench.toAbsolutePath().getParent();
        if (c.isEuclid() && c.llamaQuantizeType() != null) BenchFiles.llamaEngineFile(dir, shape, c.llamaQuantizeType(), c.precision(), llamaBin);
        else if (c.isEuclid()) BenchFiles.engineFile(dir, shape, c.precision());
        else if (c.llamaQuantizeType() != null) BenchFiles.llamaQuantized(dir, shape, c.llamaQuantizeType(), llamaBin);
        else BenchFiles.gguf(dir, shape, c.ggufType());
    }

    /** One warm-up and {@code runs} measured greedy generations through Euclid's public API. */
    static Measurement measureEuclid(Path engineFile, Contender c, int threads, Options o, int vocab, IntConsumer progress) {
        // Prefix caching off: every run repeats the prompt, and must compute it (llama.cpp: cache_prompt false).
        EngineOptions options = EngineOptions.defaults().withThreads(threads).withActivations(c.activations())
                .withKv(KvOptions.defaults().withPrefixCaching(false));
        try (Engine engine = Engine.open(engineFile, options)) {
            if (engine.weights() != c.precision()) {
                throw new IllegalStateException(engineFile + " holds " + engine.weights() + " weights, expected " + c.precision());
            }
            Request request = Request.builder().promptTokens(BenchFiles.promptTokens(o.promptTokens(), vocab)).maxTokens(o.genTokens())
                    .stopTokenIds().sampling(Sampling.greedy()).build();
            double[] prefill = new double[o.runs()], decode = new double[o.runs()];
            for (int run = 0; run <= o.runs(); run++) {
                Completion done = engine.generate(request);
                if (done.tokenIds().length != o.genTokens()) {
                    throw new IllegalStateException("Euclid generated " + done.tokenIds().length + " tokens, expected " + o.genTokens());
                }
                if (run > 0) {
                    prefill[run - 1] = done.timings().prefillTokensPerSecond();
                    decode[run - 1] = done.timings().decodeTokensPerSecond();
                }
                progress.accept(run + 1);
            }
            return new Measurement(c, prefill, decode, engine.weightBytesPerToken(), "Euclid's Timings");
        }
    }

    static String date(ZonedDateTime t) {
        return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z", Locale.ROOT));
    }
}
