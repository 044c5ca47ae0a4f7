package dev.euclid.cli;

import dev.euclid.cli.bench.ComparisonSuite;
import dev.euclid.synthetic.ModelShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Option;

/** bench's --compare mode: Euclid against llama.cpp over shapes and thread counts. */
final class CompareArgs {
    @Option(names = "--compare", description = "Compare Euclid (FP16, FP8, INT8, Q4_0) with llama.cpp (F16, Q8_0, Q4_0) on synthetic "
            + "shapes; writes bench.md, bench.json and bench.png to --out")
    boolean enabled;

    @Option(names = "--shapes", split = ",", defaultValue = "110m,qwen0.5b,1b",
            description = "--compare: synthetic shapes (default ${DEFAULT-VALUE})")
    List<String> shapes;

    @Option(names = "--out", paramLabel = "DIR", description = "--compare: report folder (default euclid-bench-DATE)")
    Path out;

    @Option(names = "--cache", paramLabel = "DIR", description = "--compare: engine and GGUF files (default: the synthetic model cache's bench/)")
    Path cache;

    @Option(names = "--llama-bench", paramLabel = "PATH", description = "--compare: measure llama.cpp with this native "
            + "llama-bench binary (a build for this CPU) instead of de.kherud:llama, an AVX2 build in a child JVM that runs "
            + "about half as fast on AVX-512 CPUs")
    Path llamaBench;

    @Option(names = "--passes", defaultValue = "1", paramLabel = "P", description = "--compare: measure the contenders of a "
            + "shape and thread count in turn P times, --runs runs each time (medians over all): every ratio then rests on runs "
            + "spread over the whole cell, not taken minutes apart (default ${DEFAULT-VALUE})")
    int passes;

    @Option(names = "--quick", description = "--compare: 32 generated tokens and 1 measured run per setting (prompt stays "
            + "--prompt-tokens)")
    boolean quick;

    /** Runs the suite, writes the report, and prints the Markdown (or, with --json, the JSON) on stdout. */
    int run(String model, List<Integer> threads, int promptTokens, int genTokens, int runs, boolean json) {
        if (model != null) {
            throw new UsageException("--compare measures synthetic shapes: use --shapes instead of --model");
        }
        for (String shape : shapes) {
            try {
                ModelShape.named(shape);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--shapes " + shape + ": " + e.getMessage());
            }
        }
        if (llamaBench != null && !(Files.isRegularFile(llamaBench) && Files.isExecutable(llamaBench))) {
            throw new UsageException("--llama-bench " + llamaBench + ": not an executable file");
        }
        ComparisonSuite.Options o = options(threads, promptTokens, genTokens, runs);
        String markdown = ComparisonSuite.write(ComparisonSuite.run(o));
        try {
            System.out.println(json ? Files.readString(o.out().resolve("bench.json")) : markdown);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.err.println("wrote " + o.out().resolve("bench.md") + ", bench.json and bench.png");
        return ExitCode.OK;
    }

    ComparisonSuite.Options options(List<Integer> threads, int promptTokens, int genTokens, int runs) {
        Path dir = out != null ? OutputPaths.inExistingFolder("--out", out)
                : Path.of("euclid-bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (passes < 1) throw new UsageException("--passes must be >= 1, got " + passes);
        return new ComparisonSuite.Options(shapes, threads, promptTokens, quick ? 32 : genTokens, quick ? 1 : runs, passes, quick,
                dir, cache != null ? cache : dev.euclid.cli.bench.BenchFiles.defaultCache(), null, llamaBench);
    }
}
