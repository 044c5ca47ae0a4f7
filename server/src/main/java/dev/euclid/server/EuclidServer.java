package dev.euclid.server;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.euclid.Engine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible HTTP server over one {@link Engine}: {@code POST /v1/completions},
 * {@code POST /v1/chat/completions} (JSON or server-sent events), {@code GET /v1/models},
 * {@code GET /health} and {@code GET /metrics} (Prometheus). A thin translation onto
 * {@link Engine#submit}: the engine batches and schedules, the server only bounds how many
 * requests it holds ({@link ServerOptions#maxConcurrent()}, {@link ServerOptions#maxQueue()}).
 *
 * <pre>{@code
 * try (Engine engine = Engine.open(model);
 *      EuclidServer server = EuclidServer.start(ServerOptions.defaults("stories260K"))) {
 *     server.serve(engine);   // /health turns ready
 *     ...
 * }                           // close(): finishes running requests within the grace period
 * }</pre>
 *
 * The server listens from {@link #start}; until {@link #serve} gives it the engine, {@code /health}
 * answers 503 "loading" and the generation endpoints 503. The caller owns the engine and closes
 * it after the server.
 */
public final class EuclidServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EuclidServer.class);

    static {
        // SSE writes a few bytes per token: without TCP_NODELAY, Nagle's algorithm holds each small write back
        // until the previous one is acknowledged, adding up to a delayed-ACK timeout (40 ms) per token.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ServerOptions options;
    private final HttpServer http;
    private final ExecutorService threads;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Admission admission;
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final Set<GenerationRun> running = new HashSet<>(); // guarded by itself; what shutdown cancels
    private final InFlight generations = new InFlight(); // what shutdown waits for
    private final long created = System.currentTimeMillis() / 1000;
    private volatile Engine engine;
    private volatile RequestParser parser;
    private volatile boolean draining;
    private boolean stopped;

    private EuclidServer(ServerOptions options) throws IOException {
        this.options = options;
        this.admission = new Admission(options.maxConcurrent(), options.maxQueue());
        int admitted = options.maxConcurrent() + options.maxQueue();
        this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), Math.max(128, admitted));
        this.threads = RequestThreads.create(admitted);
        http.setExecutor(threads);
        String key = options.apiKey();
        http.createContext("/health", new Endpoint("/health", "GET", null, metrics, null, this::health));
        http.createContext("/metrics", new Endpoint("/metrics", "GET", key, metrics, null, this::metrics));
        http.createContext("/v1/models", new Endpoint("/v1/models", "GET", key, metrics, null, this::models));
        for (Api api : Api.values()) {
            http.createContext(api.path, new Endpoint(api.path, "POST", key, metrics, generations, x -> generate(api, x)));
        }
        http.createContext("/", new Endpoint("(unknown)", "GET", key, metrics, null, x -> { }));
    }

    /** Binds and starts listening; generation waits for {@link #serve}. */
    public static EuclidServer start(ServerOptions options) throws IOException {
        EuclidServer server = new EuclidServer(options);
        server.http.start();
        LOG.info("listening on {} ({} request threads)", server.address(), RequestThreads.virtual() ? "virtual" : "pooled");
        return server;
    }

    /** Starts serving requests with {@code engine} (loaded); {@code /health} becomes ready. */
    public void serve(Engine engine) {
        ChatPromptRenderer chat = options.chat() != null ? options.chat()
                : engine.chatTemplate().<ChatPromptRenderer>map(ModelChatTemplate::new).orElseGet(ChatMlRenderer::new);
        this.parser = new RequestParser(engine, options.servedModelName(), chat, options.speculation(), toolCalls(chat));
        this.engine = engine;
    }

    /** The options' tool-call syntax, else the one the model's chat template teaches; none for other renderers. */
    private ToolCallParser toolCalls(ChatPromptRenderer chat) {
        if (options.toolCallParser() != null) return options.toolCallParser();
        ToolCallParser taught = chat instanceof ModelChatTemplate t ? ToolCallParser.forTemplate(t.source()) : ToolCallParser.NONE;
        LOG.info("tool calls: {} (from the chat template)", taught.wireName());
        return taught;
    }

    /** The bound address (with the real port when the options asked for port 0). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /**
     * Stops taking requests (new ones get 503), lets running ones finish for up to {@code grace},
     * cancels what is still running (its client gets 503 or an error event), then closes the
     * listener, the connections and the request threads. The engine stays open.
     */
    public void shutdown(Duration grace) {
        synchronized (this) {
            if (stopped) return;
            stopped = true;
        }
        draining = true;
        if (!generations.awaitNone(System.nanoTime() + grace.toNanos())) {
            synchronized (running) {
                LOG.warn("shutdown: cancelling {} requests still running after {}", running.size(), grace);
                for (GenerationRun r : running) r.stopForShutdown();
            }
            generations.awaitNone(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        }
        // Every generation exchange is closed (its last chunk written): closing the connections loses nothing.
        http.stop(0);
        threads.shutdownNow();
        try {
            if (!threads.awaitTermination(10, TimeUnit.SECONDS)) LOG.warn("shutdown: request threads still running");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #shutdown} with the options' grace period. */
    @Override
    public void close() {
        shutdown(options.shutdownGrace());
    }

    private void generate(Api api, HttpExchange exchange) throws IOException, InterruptedException {
        long arrival = System.nanoTime();
        Engine e = ready();
        JsonNode body = RequestBody.readJson(exchange, options.maxBodyBytes(), mapper);
        GenerationSpec spec = parser.parse(api, body);
        Admission.Place place = admission.enter();
        try {
            if (draining) throw GenerationRun.unavailable();
            ResponseMeta meta = new ResponseMeta(api.idPrefix + Long.toHexString(ThreadLocalRandom.current().nextLong())
                    + Long.toHexString(System.nanoTime()), System.currentTimeMillis() / 1000, options.servedModelName());
            GenerationRun run = new GenerationRun(e, spec, exchange, metrics, meta, arrival);
            synchronized (running) {
                running.add(run);
            }
            try {
                run.run();
            } finally {
                synchronized (running) {
                    running.remove(run);
                }
            }
        } finally {
            place.close();
        }
    }

    /** The engine, or 503 while it loads or once the server is shutting down. */
    private Engine ready() {
        Engine e = engine;
        if (draining) throw GenerationRun.unavailable();
        if (e == null) throw new ApiException(503, "service_unavailable", "the model is still loading", null, null);
        return e;
    }

    private void health(HttpExchange exchange) throws IOException {
        String status = draining ? "shutting down" : engine == null ? "loading" : "ok";
        int code = status.equals("ok") ? 200 : 503;
        metrics.response("/health", code);
        HttpIo.sendJson(exchange, code, g -> {
            g.writeStartObject();
            g.writeStringField("status", status);
            g.writeEndObject();
        });
    }

    private void models(HttpExchange exchange) throws IOException {
        Engine e = engine;
        metrics.response("/v1/models", 200);
        HttpIo.sendJson(exchange, 200, g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            g.writeStartObject();
            g.writeStringField("id", options.servedModelName());
            g.writeStringField("object", "model");
            g.writeNumberField("created", created);
            g.writeStringField("owned_by", "euclid");
            if (e != null) g.writeNumberField("max_model_len", e.info().contextLength());
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void metrics(HttpExchange exchange) throws IOException {
        Engine e = engine;
        String text = PrometheusText.render(metrics, admission, e == null ? null : e.metrics());
        metrics.response("/metrics", 200);
        HttpIo.send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
