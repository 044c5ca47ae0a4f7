package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The API key, /health (ready only once the model is loaded), /v1/models and /metrics. */
class AuthAndInfoEndpointsTest {
    private static final String KEY = "sk-test-1234";

    @Test
    void everyEndpointButHealthNeedsTheKey() {
        try (ServerHarness h = ServerHarness.start(o -> o.withApiKey(KEY))) {
            assertEquals(200, h.get("/health").status());
            for (String path : new String[] {"/v1/models", "/metrics"}) {
                ServerHarness.Response none = h.get(path);
                assertEquals(401, none.status(), path);
                assertEquals("invalid_api_key", none.json().path("error").path("code").asText());
                assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElseThrow());
                assertEquals(401, h.get(path, "Authorization", "Bearer sk-wrong").status(), path);
                assertEquals(401, h.get(path, "Authorization", KEY).status(), "the Bearer scheme is required");
                assertEquals(200, h.get(path, "Authorization", "Bearer " + KEY).status(), path);
            }
            String body = "{\"prompt\": \"Once\", \"max_tokens\": 3}";
            assertEquals(401, h.post("/v1/completions", body).status());
            assertEquals(401, h.post("/v1/chat/completions", body).status());
            assertEquals(200, h.post("/v1/completions", body, "Authorization", "Bearer " + KEY).status());
        }
    }

    @Test
    void healthIsReadyOnlyOnceTheModelIsLoaded() throws IOException {
        EuclidServer server = EuclidServer.start(ServerOptions.defaults("m").withAddress("127.0.0.1", 0)
                .withShutdownGrace(Duration.ZERO));
        try (var engine = ServerHarness.openEngine()) {
            ServerHarness h = null;
            try {
                var client = java.net.http.HttpClient.newHttpClient();
                var base = java.net.URI.create("http://127.0.0.1:" + server.address().getPort());
                var loading = client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/health")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(503, loading.statusCode());
                assertTrue(loading.body().contains("loading"));
                var early = client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/v1/completions"))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x\"}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(503, early.statusCode());
                server.serve(engine);
                var ready = client.send(java.net.http.HttpRequest.newBuilder(base.resolve("/health")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode());
                assertEquals("{\"status\":\"ok\"}", ready.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void modelsListsTheServedModel() {
        try (ServerHarness h = ServerHarness.start(o -> o)) {
            JsonNode j = h.get("/v1/models").json();
            assertEquals("list", j.path("object").asText());
            assertEquals(1, j.path("data").size());
            JsonNode m = j.path("data").get(0);
            assertEquals(ServerHarness.MODEL, m.path("id").asText());
            assertEquals("model", m.path("object").asText());
            assertEquals("euclid", m.path("owned_by").asText());
            assertEquals(512, m.path("max_model_len").asInt());
        }
    }

    @Test
    void metricsCountWhatWasServed() {
        try (ServerHarness h = ServerHarness.start(o -> o)) {
            String prompt = "Once upon a time there was a little girl named Lily. She loved to play outside";
            assertTrue(h.engine.tokenizer().encode(prompt).length > 16, "the prompt fills a KV block, so repeats hit the cache");
            for (int i = 0; i < 3; i++) h.post("/v1/completions", "{\"prompt\": \"" + prompt + "\", \"max_tokens\": 10}");
            h.post("/v1/completions", "{\"prompt\": 1}");
            h.stream("/v1/chat/completions", "{\"messages\": [{\"role\":\"user\",\"content\":\"Once\"}], \"max_tokens\": 7,"
                    + " \"stream\": true}");
            ServerHarness.Response r = h.get("/metrics");
            assertEquals(200, r.status());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            PrometheusSamples m = PrometheusSamples.parse(r.body());
            assertEquals(3, m.value("euclid_http_requests_total{endpoint=\"/v1/completions\",code=\"200\"}"));
            assertEquals(1, m.value("euclid_http_requests_total{endpoint=\"/v1/completions\",code=\"400\"}"));
            assertEquals(1, m.value("euclid_http_requests_total{endpoint=\"/v1/chat/completions\",code=\"200\"}"));
            assertEquals(37, m.value("euclid_completion_tokens_total"));
            assertEquals(4, m.value("euclid_time_to_first_token_seconds_count"));
            assertEquals(4, m.value("euclid_request_duration_seconds_count"));
            assertEquals(3 * 9 + 6, m.value("euclid_inter_token_latency_seconds_count"));
            assertEquals(m.value("euclid_time_to_first_token_seconds_count"),
                    m.value("euclid_time_to_first_token_seconds_bucket{le=\"+Inf\"}"));
            assertEquals(0, m.value("euclid_kv_blocks{state=\"used\"}"));
            assertEquals(h.engine.kvStats().totalBlocks(), m.value("euclid_kv_blocks_total"));
            assertEquals(m.value("euclid_kv_blocks_total"), m.value("euclid_kv_blocks{state=\"used\"}")
                    + m.value("euclid_kv_blocks{state=\"cached\"}") + m.value("euclid_kv_blocks{state=\"free\"}"));
            assertTrue(m.value("euclid_prefix_cache_hit_tokens_total") > 0, "the repeated prompt hit the prefix cache");
            assertEquals(h.engine.metrics().generatedTokens(), m.value("euclid_engine_generated_tokens_total"));
            assertEquals(0, m.value("euclid_requests_running"));
            assertEquals(0, m.value("euclid_requests_waiting"));
            assertEquals(0, m.value("euclid_engine_running_sequences"));
            assertEquals(0, m.value("euclid_preemptions_total"));
            assertTrue(m.value("euclid_prefill_tokens_per_second") > 0);
            assertEquals(1, m.value("euclid_model_loaded"));
            for (String name : new String[] {"euclid_engine_queued_requests", "euclid_decode_tokens_per_second",
                    "euclid_speculative_tokens_per_step", "euclid_client_disconnects_total", "euclid_prompt_tokens_total"}) {
                assertTrue(m.has(name), name);
            }
        }
    }
}
