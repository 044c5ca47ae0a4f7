package dev.euclid.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures llama.cpp in a child JVM ({@link LlamaCppProbe}), started with this JVM's java binary and
 * class path, so that de.kherud's leftover native thread dies with the child.
 *
 * <p>How prefill and decode are told apart: llama.cpp's server prints, for every finished request,
 * {@code prompt eval time = T ms / N tokens} (from the start of prompt processing to the first
 * sampled token) and {@code eval time = T ms / N tokens} (from the first sampled token to the last;
 * N counts every generated token, but the interval spans N - 1 decode steps). The runner reads
 * those lines from the child's stderr and reports prefill = N / T and decode = (N - 1) / T, the same
 * definitions as Euclid's {@code Timings}. If the lines are missing (a different binding build),
 * it falls back to the wall-clock times the child saw on the streaming API.
 */
final class LlamaCppRunner {
    private static final Pattern PROMPT_EVAL =
            Pattern.compile("^\\s*prompt eval time =\\s*([0-9.]+) ms /\\s*(\\d+) tokens");
    private static final Pattern EVAL = Pattern.compile("^\\s*eval time =\\s*([0-9.]+) ms /\\s*(\\d+) tokens");
    private static final Pattern BUILD = Pattern.compile("build: (\\d+ \\([0-9a-f]+\\))");
    private static final long TIMEOUT_MINUTES = 60;

    /** What the child measured; {@code build} is llama.cpp's build number and commit when it printed them. */
    record Result(double[] prefill, double[] decode, String source, String build) {}

    private LlamaCppRunner() {}

    /** True when de.kherud:llama is on the class path (it is in euclid-cli.jar). */
    static boolean available() {
        try {
            Class.forName("de.kherud.llama.LlamaModel", false, LlamaCppRunner.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Runs one warm-up and {@code runs} measured generations of {@code gguf} in a child JVM.
     *
     * @param progress called once per finished generation (warm-up included)
     */
    static Result measure(Path gguf, int threads, int promptTokens, int genTokens, int runs, int vocab,
            IntConsumer progress) {
        ChildOutput out = runChild(LlamaCppProbe.class, gguf, progress, Integer.toString(threads),
                Integer.toString(promptTokens), Integer.toString(genTokens), Integer.toString(runs), Integer.toString(vocab));
        try {
            return parse(out.result(), out.log(), promptTokens, genTokens, runs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read llama.cpp's result", e);
        }
    }

    /**
     * Aggregate decode tokens/s of {@code parallel} concurrent sequences per measured pair of rounds
     * and the share of each long round those tokens took ({@link DecodeWindow#decodeShare});
     * {@code rounds} is the child's raw JSON (wall-clock ms of every round), and
     * {@code longestPhase} per long round the plain bench's measure from llama.cpp's own log:
     * decode tokens of all sequences over the longest {@code eval time} (NaN without the log lines).
     */
    record ParallelResult(double[] decode, double[] decodeShare, String source, String build, String rounds, double[] longestPhase) {}

    /**
     * Runs a warm-up and {@code runs} measured pairs of rounds of {@code parallel} concurrent
     * generations of {@code gguf} in llama.cpp's parallel slots, in a child JVM
     * ({@link LlamaCppParallelProbe}); the rates come from {@link DecodeWindow}.
     */
    static ParallelResult measureParallel(Path gguf, int threads, int promptTokens, int genTokens, int runs, int vocab,
            int parallel, IntConsumer progress) {
        ChildOutput out = runChild(LlamaCppParallelProbe.class, gguf, progress, Integer.toString(threads),
                Integer.toString(promptTokens), Integer.toString(genTokens), Integer.toString(runs), Integer.toString(vocab),
                Integer.toString(parallel));
        try {
            return parseParallel(out.result(), out.log(), genTokens, runs, parallel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read llama.cpp's result", e);
        }
    }

    private record ChildOutput(String result, List<String> log) {}

    /** Runs {@code probe}'s main with {@code gguf} and {@code args} in a child JVM; returns its result line and stderr. */
    private static ChildOutput runChild(Class<?> probe, Path gguf, IntConsumer progress, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                probe.getName(), gguf.toString()));
        command.addAll(List.of(args));
        String[] result = new String[1], error = new String[1];
        int[] done = {0};
        ChildProcess.Ended ended = ChildProcess.run(command, line -> {
            if (line.equals(LlamaCppProbe.PROGRESS)) progress.accept(++done[0]);
            else if (line.startsWith(LlamaCppProbe.RESULT)) result[0] = line.substring(LlamaCppProbe.RESULT.length());
            else if (line.startsWith(LlamaCppProbe.ERROR)) error[0] = line.substring(LlamaCppProbe.ERROR.length());
        }, TIMEOUT_MINUTES);
        if (result[0] == null) {
            throw new IllegalStateException("llama.cpp on " + gguf.getFileName() + " failed (exit " + ended.exitCode() + "): "
                    + (error[0] != null ? error[0] : ended.tail()));
        }
        return new ChildOutput(result[0], ended.stderr());
    }

    /** The decode rate of each measured pair of rounds ({@link DecodeWindow}); the build from the log. */
    static ParallelResult parseParallel(String json, List<String> log, int genTokens, int runs, int parallel) throws IOException {
        String build = null;
        for (String line : log) {
            Matcher m = BUILD.matcher(line);
            if (m.find()) {
                build = m.group(1);
                break;
            }
        }
        // Log order: the warm-up round, then short and long rounds alternating, each round's requests
        // finished before the next round starts.
        List<double[]> eval = new ArrayList<>();
        for (String line : log) {
            Matcher m = EVAL.matcher(line);
            if (m.find()) eval.add(new double[] {Double.parseDouble(m.group(1)), Integer.parseInt(m.group(2))});
        }
        double[] longestPhase = new double[runs];
        java.util.Arrays.fill(longestPhase, Double.NaN);
        if (eval.size() == (1 + 2 * runs) * parallel) {
            for (int i = parallel; i < eval.size(); i++) {
                int expected = (i / parallel) % 2 == 1 ? DecodeWindow.shortGen(genTokens) : genTokens;
                if ((int) eval.get(i)[1] != expected) {
                    throw new IllegalStateException("llama.cpp generated " + (int) eval.get(i)[1] + " tokens, expected " + expected);
                }
            }
            for (int r = 0; r < runs; r++) {
                double tokens = 0, longestMs = 0;
                for (double[] e : eval.subList((2 + 2 * r) * parallel, (3 + 2 * r) * parallel)) {
                    tokens += e[1] - 1;
                    longestMs = Math.max(longestMs, e[0]);
                }
                longestPhase[r] = tokens * 1e3 / longestMs;
            }
        }
        JsonNode pairs = new ObjectMapper().readTree(json).get("pairs");
        if (pairs == null || pairs.size() != runs) throw new IllegalStateException("llama.cpp reported no timings: " + json);
        double[] decode = new double[runs], share = new double[runs];
        for (int r = 0; r < runs; r++) {
            JsonNode p = pairs.get(r);
            double shortSeconds = p.get("short_ms").asDouble() / 1e3, longSeconds = p.get("long_ms").asDouble() / 1e3;
            decode[r] = DecodeWindow.rate(parallel, DecodeWindow.shortGen(genTokens), genTokens, shortSeconds, longSeconds);
            share[r] = DecodeWindow.decodeShare(shortSeconds, longSeconds);
        }
        return new ParallelResult(decode, share, "wall clock, long round minus short round", build, json, longestPhase);
    }

    /** Prefers llama.cpp's own per-request timings (the last {@code runs} of them); else the wall clock. */
    static Result parse(String json, List<String> log, int promptTokens, int genTokens, int runs) throws IOException {
        List<double[]> prompt = new ArrayList<>(), eval = new ArrayList<>();
        String build = null;
        for (String line : log) {
            Matcher m;
            if ((m = PROMPT_EVAL.matcher(line)).find()) prompt.add(new double[] {Double.parseDouble(m.group(1)), Integer.parseInt(m.group(2))});
            else if ((m = EVAL.matcher(line)).find()) eval.add(new double[] {Double.parseDouble(m.group(1)), Integer.parseInt(m.group(2))});
            else if (build == null && (m = BUILD.matcher(line)).find()) build = m.group(1);
        }
        double[] prefill = new double[runs], decode = new double[runs];
        if (prompt.size() >= runs && eval.size() >= runs) {
            for (int i = 0; i < runs; i++) {
                double[] p = prompt.get(prompt.size() - runs + i), e = eval.get(eval.size() - runs + i);
                if ((int) p[1] != promptTokens || (int) e[1] != genTokens) {
                    throw new IllegalStateException("llama.cpp processed " + (int) p[1] + " prompt tokens and generated "
                            + (int) e[1] + ", expected " + promptTokens + " and " + genTokens);
                }
                prefill[i] = p[1] * 1e3 / p[0];
                decode[i] = (e[1] - 1) * 1e3 / e[0];
            }
            return new Result(prefill, decode, "llama.cpp's own timings (server log)", build);
        }
        JsonNode measured = new ObjectMapper().readTree(json).get("runs");
        for (int i = 0; i < runs; i++) {
            JsonNode r = measured.get(i);
            double first = r.get("first_ms").asDouble(), last = r.get("last_ms").asDouble();
            prefill[i] = promptTokens * 1e3 / first;
            decode[i] = (genTokens - 1) * 1e3 / (last - first);
        }
        return new Result(prefill, decode, "wall clock of the streaming API", build);
    }
}
