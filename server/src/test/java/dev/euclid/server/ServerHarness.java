package dev.euclid.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.testing.SharedModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real server on 127.0.0.1 (a free port) over stories260K, and a plain HTTP client for it. */
final class ServerHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "stories260K";
    /**
     * Request fields of a stream that outlasts its reader: 32 choices of 500 tokens with logprobs are
     * about 5 MB of events, more than loopback socket buffers hold (they grow to about 4 MB), so a
     * stream whose client stops reading waits in its writes and keeps its place.
     */
    static final String UNREAD_STREAM = "\"n\": 32, \"max_tokens\": 500, \"logprobs\": 0, \"stream\": true";

    final Engine engine;
    final EuclidServer server;
    final URI base;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final boolean ownsEngine;

    private ServerHarness(Engine engine, EuclidServer server, boolean ownsEngine) {
        this.engine = engine;
        this.server = server;
        this.base = URI.create("http://127.0.0.1:" + server.address().getPort());
        this.ownsEngine = ownsEngine;
    }

    static Path stories260K() {
        return SharedModels.models().resolve("stories260K/stories260K.bin");
    }

    /** stories260K on 2 threads with KV for about 50 full-context sequences (n up to 8 of long answers, in parallel). */
    static Engine openEngine() {
        return Engine.open(stories260K(), EngineOptions.defaults().withThreads(2)
                .withKv(KvOptions.defaults().withBudgetBytes(32L << 20)));
    }

    static ServerHarness start(UnaryOperator<ServerOptions> configure) {
        Engine engine = openEngine();
        try {
            return start(engine, configure, true);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** A server over an engine the caller keeps (and closes). */
    static ServerHarness start(Engine engine, UnaryOperator<ServerOptions> configure, boolean ownsEngine) {
        ServerOptions options = configure.apply(ServerOptions.defaults(MODEL).withAddress("127.0.0.1", 0)
                .withChat(new StoryChatTemplate()).withShutdownGrace(Duration.ofSeconds(5)));
        try {
            EuclidServer server = EuclidServer.start(options);
            server.serve(engine);
            return new ServerHarness(engine, server, ownsEngine);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    Response post(String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    Response get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60)).GET();
        if (headers.length > 0) b.headers(headers);
        return send(b.build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A streamed response: every "data:" payload before "[DONE]" as JSON, and whether "[DONE]" came. */
    record Stream(int status, List<JsonNode> events, boolean done) {
        /** The concatenated text of one choice (completions: "text"; chat: "delta.content"). */
        String text(int index) {
            StringBuilder out = new StringBuilder();
            for (JsonNode e : events) {
                for (JsonNode c : e.path("choices")) {
                    if (c.path("index").asInt() != index) continue;
                    JsonNode t = c.has("delta") ? c.path("delta").path("content") : c.path("text");
                    if (t.isTextual()) out.append(t.asText());
                }
            }
            return out.toString();
        }

        String finishReason(int index) {
            String reason = null;
            for (JsonNode e : events) {
                for (JsonNode c : e.path("choices")) {
                    if (c.path("index").asInt() == index && c.path("finish_reason").isTextual()) {
                        if (reason != null) throw new AssertionError("choice " + index + " finished twice");
                        reason = c.path("finish_reason").asText();
                    }
                }
            }
            return reason;
        }
    }

    Stream stream(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<java.util.stream.Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
            List<JsonNode> events = new ArrayList<>();
            boolean done = false;
            for (String line : (Iterable<String>) r.body()::iterator) {
                if (line.isEmpty()) continue;
                if (!line.startsWith("data: ")) throw new AssertionError("not an SSE data line: " + line);
                String data = line.substring(6);
                if (done) throw new AssertionError("data after [DONE]: " + data);
                if (data.equals("[DONE]")) done = true;
                else events.add(JSON.readTree(data));
            }
            return new Stream(r.statusCode(), events, done);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        if (ownsEngine) engine.close();
    }
}
