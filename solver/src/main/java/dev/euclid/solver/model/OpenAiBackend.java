package dev.euclid.solver.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.solver.tool.ToolSyntax;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The solver's model behind any OpenAI-compatible server (Euclid's {@code euclid serve}, vLLM,
 * TensorRT-LLM): each turn is one {@code POST /v1/completions} with the whole text so far as the
 * prompt, {@code n: 1}, the turn's seed and stop strings. The server's prefix cache keeps the
 * earlier text's KV. OpenAI's API drops the stop string that matched, so the tool syntax says
 * which one it must have been.
 */
public final class OpenAiBackend implements ModelBackend {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI completions;
    private final String model;
    private final String apiKey;
    private final ToolSyntax tools;
    private final Duration timeout;

    /**
     * @param base the server's address, e.g. {@code http://127.0.0.1:8080} (the {@code /v1/completions} path is added)
     * @param model the served model's name
     * @param apiKey sent as a bearer token, or null
     * @param tools the strategy's tool syntax (to tell which stop ended a turn), or null without tools
     * @param timeout how long one turn may take
     */
    public OpenAiBackend(URI base, String model, String apiKey, ToolSyntax tools, Duration timeout) {
        String b = Objects.requireNonNull(base, "base").toString();
        if (!b.startsWith("http://") && !b.startsWith("https://")) {
            throw new IllegalArgumentException("the server address must be http:// or https://, got " + base);
        }
        this.completions = URI.create(b.replaceAll("/+$", "") + "/v1/completions");
        this.model = Objects.requireNonNull(model, "model");
        this.apiKey = apiKey;
        this.tools = tools;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public SampleGroup start(String prompt, int samples, Decoding decoding, long seed, TurnListener listener) {
        List<PendingTurn> turns = new ArrayList<>();
        for (int i = 0; i < samples; i++) turns.add(generate(prompt, decoding, seed + i));
        return SampleGroup.of(turns, listener);
    }

    @Override
    public PendingTurn resume(Turn previous, String appended, Decoding decoding, long seed) {
        if (!(previous.continuation() instanceof String context)) {
            throw new IllegalArgumentException("not a turn of this OpenAI backend: " + previous);
        }
        return generate(context + appended, decoding, seed);
    }

    private PendingTurn generate(String context, Decoding d, long seed) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("prompt", context)
                .put("max_tokens", d.maxTokens()).put("temperature", d.temperature()).put("top_p", d.topP())
                .put("seed", seed).put("n", 1);
        if (!d.stops().isEmpty()) {
            ArrayNode stops = body.putArray("stop");
            d.stops().forEach(stops::add);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(completions).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        CompletableFuture<Turn> turn = exchange.handle((r, e) -> {
            if (e == null) return toTurn(context, r);
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof CancellationException) return new Turn("", null, Turn.End.STOPPED, 0, context.length(), context);
            throw new CompletionException(new IOException(completions + ": " + cause.getMessage(), cause));
        });
        return PendingTurn.of(turn, () -> exchange.cancel(true)); // the turn reports STOPPED; the connection is dropped
    }

    private Turn toTurn(String context, HttpResponse<String> r) {
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(completions + ": the server's answer is not JSON (HTTP " + r.statusCode() + ")", e);
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException(completions + ": HTTP " + r.statusCode() + ": " + json.path("error").path("message").asText(r.body()));
        }
        JsonNode choice = json.path("choices").path(0);
        if (!choice.has("text")) throw new IllegalStateException(completions + ": no choices[0].text in " + r.body());
        String text = choice.get("text").asText();
        int tokens = json.path("usage").path("completion_tokens").asInt(0);
        String finish = choice.path("finish_reason").asText("stop");
        if (finish.equals("length")) return new Turn(text, null, Turn.End.LENGTH, tokens, context.length(), context + text);
        String stop = tools == null ? null : tools.inferStop(text);
        if (stop == null) return new Turn(text, null, Turn.End.END_OF_TEXT, tokens, context.length(), context + text);
        return new Turn(text + stop, stop, Turn.End.STOP_STRING, tokens, context.length(), context + text + stop);
    }
}
