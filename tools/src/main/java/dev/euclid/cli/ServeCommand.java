package dev.euclid.cli;

import dev.euclid.Engine;
import dev.euclid.server.EuclidServer;
import dev.euclid.server.ServerOptions;
import dev.euclid.server.ToolCallParser;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the model over an OpenAI-compatible HTTP API: /v1/completions, /v1/chat/completions,"
                + " /v1/models, /health, /metrics. SIGTERM lets running requests finish (--shutdown-grace), then exits 0.")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default ${DEFAULT-VALUE}: this machine only; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--port", defaultValue = "8000", description = "TCP port; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Require 'Authorization: Bearer KEY' on every endpoint but /health (default: env EUCLID_API_KEY, else none)")
    String apiKey;

    @Option(names = "--max-concurrent", defaultValue = "64", description = "Requests the engine runs at once (default ${DEFAULT-VALUE})")
    int maxConcurrent;

    @Option(names = "--max-queue", defaultValue = "256",
            description = "Requests waiting for a place; beyond them 429 (default ${DEFAULT-VALUE})")
    int maxQueue;

    @Option(names = "--max-body-bytes", defaultValue = "8388608", description = "Largest request body; larger is 413 (default ${DEFAULT-VALUE})")
    long maxBodyBytes;

    @Option(names = "--served-model-name", paramLabel = "NAME", description = "The model's name in the API (default: the file name)")
    String servedModelName;

    @Option(names = "--shutdown-grace", defaultValue = "30",
            description = "Seconds running requests get to finish on SIGTERM before they are cancelled (default ${DEFAULT-VALUE})")
    int shutdownGraceSeconds;

    @Option(names = "--tool-call-parser", paramLabel = "NAME",
            description = "How tool calls are read out of chat answers when a request offers tools: hermes, llama3_json,"
                    + " mistral, deepseek_v3, deepseek_v31 or none (default: the syntax the model's chat template teaches)")
    String toolCallParser;

    @Mixin EngineArgs engineArgs;

    @Mixin KvArgs kv;

    /** --speculative is the drafting of requests that do not ask for their own ("speculative" in the request). */
    @Mixin SpeculationArgs speculation;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String key = apiKey != null ? apiKey : System.getenv("EUCLID_API_KEY");
        String name = servedModelName != null ? servedModelName : defaultName(engineArgs.model);
        ServerOptions options = ServerOptions.defaults(name).withAddress(host, port).withApiKey(key)
                .withLimits(maxConcurrent, maxQueue, maxBodyBytes).withShutdownGrace(Duration.ofSeconds(shutdownGraceSeconds))
                .withSpeculation(speculation.speculation()).withToolCallParser(toolCallParser());
        // Listening first: /health says "loading" (503) until the model is in memory.
        EuclidServer server = EuclidServer.start(options);
        Engine engine;
        try {
            engine = engineArgs.open(kv, speculation);
        } catch (RuntimeException e) {
            server.shutdown(Duration.ZERO);
            throw e;
        }
        server.serve(engine);
        System.err.printf("serving %s on http://%s:%d%s%n", name, server.address().getHostString(), server.address().getPort(),
                key != null ? " (API key required)" : "");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown(options.shutdownGrace());
            engine.close();
            stopped.countDown();
            // A SIGTERM'd JVM exits with 143; an orderly stop is a success for a service manager.
            Runtime.getRuntime().halt(0);
        }, "euclid-serve-shutdown"));
        stopped.await();
        return 0;
    }

    private ToolCallParser toolCallParser() {
        if (toolCallParser == null) return null;
        try {
            return ToolCallParser.named(toolCallParser);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--tool-call-parser: " + e.getMessage());
        }
    }

    /** "stories260K" for .../stories260K.bin (a model file's extension dropped), the folder's name for a Hugging Face folder. */
    static String defaultName(String model) {
        if (model.startsWith("synthetic:")) return model;
        Path file = Path.of(model).getFileName();
        String n = file == null ? model : file.toString();
        for (String extension : new String[] {".bin", ".gguf", ".euclid"}) {
            if (n.endsWith(extension) && n.length() > extension.length()) return n.substring(0, n.length() - extension.length());
        }
        return n;
    }
}
