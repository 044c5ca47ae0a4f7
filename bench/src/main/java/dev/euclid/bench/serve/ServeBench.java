package dev.euclid.bench.serve;

import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.Precision;
import dev.euclid.cli.bench.BenchFiles;
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
import java.util.Random;
import java.util.function.IntFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * {@code euclid serve} under load, against the same requests run in-process and against llama.cpp's
 * own server (issue 19, item 6). For each client count: Euclid in-process (the same closed loop
 * through {@code Engine.submit}), Euclid over HTTP (an {@link EuclidServer} on the same engine), and
 * {@code llama-server} with that many parallel slots on the Q8_0 GGUF of the same synthetic weights,
 * all driven by the same load generator with the same prompts ({@code --contenders} picks some of
 * inprocess, serve, llama). Writes serve.md (the table), and serve.png (output tok/s against
 * clients) when several client counts ran, after every measurement.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.euclid.bench.serve.ServeBench --shape qwen0.5b --weights fp8 \
 *     --threads 2 --clients 1,8,32 --prompt-tokens 128 --gen-tokens 128 --requests-per-client 2 \
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
    private int perClient = 2;
    private int prefillChunk = 2048;
    private double openLoopRate;
    private Path llamaServer;
    private java.util.Set<String> contenders = java.util.Set.of("inprocess", "serve", "llama");
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

    private LoadReport llama(Path gguf, int c, int vocab) throws Exception {
        int port = freePort();
        Path log = out.resolve("llama-server-" + c + ".log");
        Process p = new ProcessBuilder(llamaServer.toString(), "-m", gguf.toString(), "-t", String.valueOf(threads),
                "--parallel", String.valueOf(c), "-c", String.valueOf(Math.max(16384, c * 512)), "--host", "127.0.0.1",
                "--port", String.valueOf(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(base, p, log);
            new HttpLoad(base, shape, 8).closedLoop(c, 1, warmUp(vocab));
            return LoadReport.of("llama-server Q8_0", c, new HttpLoad(base, shape, genTokens).closedLoop(c, perClient,
                    prompts(vocab, c)));
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

    private void write(List<LoadReport> reports) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append(String.format("%s %s, %d threads, %d-token prompts, %d new tokens (ignore_eos), %d requests per client,"
                + " prefill chunk %d%n%n", shape, weights.wireName(), threads, promptTokens, genTokens, perClient, prefillChunk));
        md.append(LoadReport.markdownHeader()).append('\n');
        for (LoadReport r : reports) md.append(r.markdownRow()).append('\n');
        Files.writeString(out.resolve("serve.md"), md);
        if (reports.stream().filter(r -> r.concurrency() > 0).mapToInt(LoadReport::concurrency).distinct().count() < 2) return;
        XYChart chart = new XYChartBuilder().width(800).height(500).title(shape + " " + weights.wireName() + ", " + threads
                + " threads: output tok/s").xAxisTitle("concurrent streaming clients").yAxisTitle("output tok/s").build();
        for (String contender : reports.stream().filter(r -> r.concurrency() > 0).map(LoadReport::contender).distinct().toList()) {
            List<LoadReport> mine = reports.stream().filter(r -> r.contender().equals(contender) && r.concurrency() > 0).toList();
            chart.addSeries(contender, mine.stream().mapToDouble(LoadReport::concurrency).toArray(),
                    mine.stream().mapToDouble(LoadReport::outputTokensPerSecond).toArray());
        }
        BitmapEncoder.saveBitmap(chart, out.resolve("serve.png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
