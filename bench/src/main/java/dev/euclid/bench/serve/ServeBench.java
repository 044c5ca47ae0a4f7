package dev.euclid.bench.serve;

import dev.euclid.Activations;
import dev.euclid.Device;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.Precision;
import dev.euclid.Speculation;
import dev.euclid.cli.bench.BatchedDecodeBench;
import dev.euclid.cli.bench.BenchFiles;
import dev.euclid.cli.bench.BenchSettings;
import dev.euclid.server.EuclidServer;
import dev.euclid.server.ServerOptions;
import dev.euclid.synthetic.GgufWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * {@code euclid serve} under load, against {@code euclid bench --batch N}, the same requests run
 * in-process and llama.cpp's own server, all in one run (issue 19, item 6). For each client count N:
 * {@code bench --batch N} (the CLI's batched decode bench, same engine file, threads and lengths: its
 * decode rate over the steps in which all N sequences decode, and its long round's output tok/s with
 * all N requests sent at once, prefill included), Euclid in-process (the same closed
 * loop through {@code Engine.submit}), Euclid over HTTP (an {@link EuclidServer} on the same engine),
 * and {@code llama-server} with N parallel slots on the Q8_0 GGUF of the same synthetic weights, the
 * last three driven by the same load generator with the same prompts ({@code --contenders} picks some
 * of batch, inprocess, serve, llama). Writes serve.md (the table and the two ratios), and
 * serve.png (output tok/s against clients) when several client counts ran, after every measurement.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.euclid.bench.serve.ServeBench --shape qwen0.5b --weights fp8 \
 *     --threads 2 --clients 1,8,32 --prompt-tokens 128 --gen-tokens 128 --requests-per-client 1 \
 *     --llama-server ../shared/peers/llama.cpp/bin/llama-server --out /tmp/serve-bench
 * </pre>
 */
public final class ServeBench {
    private String shape = "qwen0.5b";
    private Precision weights = Precision.FP8;
    private int threads = 2;
    private int[] clients = {32};
    private int promptTokens = 128;
    private int genTokens = 128;
    private int perClient = 1;
    private int benchRuns = 1;
    private int contenderTimeoutSeconds = 1800;
    private int prefillChunk = 2048;
    private double openLoopRate;
    private Path llamaServer;
    private java.util.Set<String> contenders = java.util.Set.of("batch", "inprocess", "serve", "llama");
    private Path out = Path.of("serve-bench");

    public static void main(String[] args) throws Exception {
        ServeBench b = new ServeBench();
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--shape" -> b.shape = v;
                case "--weights" -> b.weights = Precision.parse(v);
                case "--threads" -> b.threads = Integer.parseInt(v);
                case "--clients" -> b.clients = java.util.Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--prompt-tokens" -> b.promptTokens = Integer.parseInt(v);
                case "--gen-tokens" -> b.genTokens = Integer.parseInt(v);
                case "--requests-per-client" -> b.perClient = Integer.parseInt(v);
                case "--prefill-chunk" -> b.prefillChunk = Integer.parseInt(v);
                case "--open-loop-rate" -> b.openLoopRate = Double.parseDouble(v);
                case "--llama-server" -> b.llamaServer = Path.of(v);
                case "--contenders" -> b.contenders = java.util.Set.of(v.split(","));
                case "--bench-runs" -> b.benchRuns = Integer.parseInt(v);
                case "--llama-timeout" -> b.contenderTimeoutSeconds = Integer.parseInt(v);
                case "--out" -> b.out = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        b.run();
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        Path engineFile = BenchFiles.engineFile(BenchFiles.defaultCache(), shape, weights);
        Path gguf = llamaServer == null ? null : BenchFiles.gguf(BenchFiles.defaultCache(), shape, GgufWriter.WeightType.Q8_0);
        int most = java.util.Arrays.stream(clients).max().orElseThrow();
        List<LoadReport> reports = new ArrayList<>();
        try (Engine engine = openEngine(engineFile, most)) {
            int vocab = engine.info().vocabSize();
            EuclidServer server = EuclidServer.start(ServerOptions.defaults(shape).withAddress("127.0.0.1", 0)
                    .withLimits(most, most, 1 << 20));
            server.serve(engine);
            try {
                URI base = URI.create("http://127.0.0.1:" + server.address().getPort());
                HttpLoad euclid = new HttpLoad(base, shape, genTokens);
                for (int c : clients) {
                    IntFunction<int[]> prompts = prompts(vocab, c);
                    if (contenders.contains("batch")) add(reports, benchBatch(engineFile, c));
                    if (contenders.contains("inprocess")) {
                        InProcessLoad.closedLoop(engine, c, 1, 8, warmUp(vocab));
                        add(reports, LoadReport.of("euclid in-process", c,
                                InProcessLoad.closedLoop(engine, c, perClient, genTokens, prompts)));
                    }
                    if (contenders.contains("serve")) {
                        new HttpLoad(base, shape, 8).closedLoop(c, 1, warmUp(vocab));
                        add(reports, LoadReport.of("euclid serve", c, euclid.closedLoop(c, perClient, prompts)));
                    }
                    if (gguf != null && contenders.contains("llama")) add(reports, llama(gguf, c, vocab));
                }
                if (openLoopRate > 0) {
                    int n = most * perClient;
                    add(reports, LoadReport.of("euclid serve, Poisson " + openLoopRate + "/s", 0,
                            euclid.openLoop(openLoopRate, n, 7, prompts(vocab, -1))));
                }
            } finally {
                server.close();
            }
        }
    }

    /** FP32 KV for every client's sequence at once; prefix caching off, so no contender reuses another's prompts. */
    private Engine openEngine(Path file, int sequences) {
        long bytesPerToken;
        try (Engine probe = Engine.open(file, EngineOptions.defaults().withThreads(1))) {
            bytesPerToken = probe.kvStats().bytesPerToken();
        }
        long tokens = (long) sequences * (promptTokens + genTokens + 32);
        return Engine.open(file, EngineOptions.defaults().withThreads(threads).withMaxTokensPerStep(prefillChunk)
                .withKv(KvOptions.defaults().withBudgetBytes(tokens * bytesPerToken).withPrefixCaching(false)));
    }

    /** Request i's prompt: distinct for every request and client count, the same for every contender. */
    private IntFunction<int[]> prompts(int vocab, int clientCount) {
        return i -> {
            Random r = new Random(((long) clientCount << 32) ^ (i * 0x9E3779B97F4A7C15L));
            int[] ids = new int[promptTokens];
            for (int k = 0; k < ids.length; k++) ids[k] = r.nextInt(vocab);
            return ids;
        };
    }

    /** Warm-up requests (JIT, page cache, the server's threads): 4-token prompts, 8 new tokens, one per client. */
    private IntFunction<int[]> warmUp(int vocab) {
        return i -> new int[] {1 + i % (vocab - 1), 2, 3, 4};
    }

    /**
     * What {@code euclid bench --model FILE --threads T --batch N --prompt-tokens P --gen-tokens G
     * --runs R} measures and prints as its decode rate, run here on its own engine over the same file,
     * with its long round's output tokens/s (all N requests sent at once, prefill included).
     */
    private LoadReport benchBatch(Path engineFile, int c) {
        BenchSettings s = new BenchSettings(engineFile.toString(), weights, threads, c, promptTokens, genTokens, benchRuns, 1,
                KvOptions.defaults(), Speculation.off(), null, 4, Activations.FP32, Device.CPU);
        BatchedDecodeBench b = BatchedDecodeBench.run(engineFile, s, false, null, done -> {});
        return LoadReport.batchBench("euclid bench --batch " + c, c, b.roundOutput(), b.euclid().decodeTokensPerSecond());
    }

    private LoadReport llama(Path gguf, int c, int vocab) throws Exception {
        int port = freePort();
        Path log = out.resolve("llama-server-" + c + ".log");
        Process p = new ProcessBuilder(llamaServer.toString(), "-m", gguf.toString(), "-t", String.valueOf(threads),
                "--parallel", String.valueOf(c), "-c", String.valueOf(Math.max(16384, c * 512)), "--host", "127.0.0.1",
                "--port", String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            long start = System.nanoTime();
            // On a loaded machine llama-server's spinning workers can all but stop: past the limit it is stopped.
            CompletableFuture<List<RequestTiming>> run = CompletableFuture.supplyAsync(() -> {
                try {
                    awaitHealthy(base, p, log);
                    new HttpLoad(base, shape, 8).closedLoop(c, 1, warmUp(vocab));
                    return new HttpLoad(base, shape, genTokens).closedLoop(c, perClient, prompts(vocab, c));
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            try {
                return LoadReport.of("llama-server Q8_0", c, run.get(contenderTimeoutSeconds, TimeUnit.SECONDS));
            } catch (TimeoutException late) {
                p.destroyForcibly();
                return LoadReport.stopped("llama-server Q8_0", c, (System.nanoTime() - start) / 1e9);
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static void awaitHealthy(URI base, Process p, Path log) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) throw new IllegalStateException("llama-server exited: " + Files.readString(log));
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("llama-server did not become healthy");
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Prints a result and rewrites the files with it: a long run stopped early keeps what it measured. */
    private void add(List<LoadReport> reports, LoadReport r) throws IOException {
        System.out.println(r.markdownRow());
        reports.add(r);
        write(reports);
    }

    /** The two targets per client count: serve against bench --batch, and against llama-server. */
    private static String ratios(List<LoadReport> reports) {
        StringBuilder out = new StringBuilder();
        for (int c : reports.stream().mapToInt(LoadReport::concurrency).filter(n -> n > 0).distinct().toArray()) {
            LoadReport serve = find(reports, "euclid serve", c), batch = find(reports, "euclid bench --batch", c);
            LoadReport llama = find(reports, "llama-server", c);
            if (serve == null) continue;
            if (batch != null && !Double.isNaN(serve.decodeTokensPerSecond() / batch.decodeTokensPerSecond())) {
                out.append(String.format(Locale.ROOT, "- %d clients: euclid serve decodes at %.1f%% of `bench --batch %d`"
                        + " (%.1f / %.1f tok/s while all decode); its output tok/s, prefill included in both, is %.1f%% of"
                        + " bench's (%.1f / %.1f)%n", c, 100 * serve.decodeTokensPerSecond() / batch.decodeTokensPerSecond(), c,
                        serve.decodeTokensPerSecond(), batch.decodeTokensPerSecond(),
                        100 * serve.outputTokensPerSecond() / batch.outputTokensPerSecond(), serve.outputTokensPerSecond(),
                        batch.outputTokensPerSecond()));
            }
            if (llama != null && !Double.isNaN(llama.outputTokensPerSecond())) {
                out.append(String.format(Locale.ROOT, "- %d clients: euclid serve / llama-server = %.2fx output tok/s"
                        + " (%.1f / %.1f)%n", c, serve.outputTokensPerSecond() / llama.outputTokensPerSecond(),
                        serve.outputTokensPerSecond(), llama.outputTokensPerSecond()));
            }
        }
        return out.toString();
    }

    /** A contender's series in the plot: "euclid bench --batch 32" and "... 8" are one line. */
    private static String series(LoadReport r) {
        return r.contender().replaceAll("--batch \\d+$", "--batch N");
    }

    private static LoadReport find(List<LoadReport> reports, String prefix, int c) {
        return reports.stream().filter(r -> r.concurrency() == c && r.contender().startsWith(prefix)).findFirst().orElse(null);
    }

    private void write(List<LoadReport> reports) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "%s %s, %d threads, %d-token prompts, %d new tokens (ignore_eos), %d requests"
                + " per client, prefill chunk %d, bench --batch runs %d%n%n", shape, weights.wireName(), threads, promptTokens,
                genTokens, perClient, prefillChunk, benchRuns));
        md.append(LoadReport.markdownHeader()).append('\n');
        for (LoadReport r : reports) md.append(r.markdownRow()).append('\n');
        md.append('\n').append(ratios(reports));
        Files.writeString(out.resolve("serve.md"), md);
        List<LoadReport> plotted = reports.stream()
                .filter(r -> r.concurrency() > 0 && !Double.isNaN(r.outputTokensPerSecond())).toList();
        if (plotted.isEmpty()) return;
        XYChart chart = new XYChartBuilder().width(800).height(500).title(shape + " " + weights.wireName() + ", " + threads
                + " threads: output tok/s, prefill included").xAxisTitle("concurrent streaming clients")
                .yAxisTitle("tok/s").build();
        for (String series : plotted.stream().map(ServeBench::series).distinct().toList()) {
            List<LoadReport> mine = plotted.stream().filter(r -> series(r).equals(series)).toList();
            chart.addSeries(series, mine.stream().mapToDouble(LoadReport::concurrency).toArray(),
                    mine.stream().mapToDouble(LoadReport::outputTokensPerSecond).toArray());
        }
        BitmapEncoder.saveBitmap(chart, out.resolve("serve.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
