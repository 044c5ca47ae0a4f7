package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Request;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A full server refuses with 429 and Retry-After; a client that hangs up mid-stream cancels its
 * request, whose KV blocks come back and whose place goes to the next request in line.
 */
class CapacityAndDisconnectTest {
    /** A stream longer than the socket buffers hold: its client reads the first chunk, then nothing. */
    private static final String LONG_STREAM = "{\"prompt\": \"Once upon a time\", \"temperature\": 1, \"seed\": 1, "
            + ServerHarness.UNREAD_STREAM + "}";

    @Test
    void fullQueueIs429AndAHungUpStreamIsCancelled() throws Exception {
        try (ServerHarness h = ServerHarness.start(o -> o.withLimits(1, 1, 1 << 20))) {
            long generatedBefore = h.engine.metrics().generatedTokens();
            Completion expected = h.engine.generate(Request.of("Once upon a time", 30));
            generatedBefore += expected.tokenIds().length;
            RawHttp holder = new RawHttp(h.base.getPort());
            holder.postJson("/v1/completions", LONG_STREAM);
            assertEquals(200, RawHttp.status(holder.readHead()));
            String first = new String(holder.readChunk(), StandardCharsets.UTF_8);
            assertTrue(first.startsWith("data: {"), first);

            // The one place is taken: the next request waits in the queue of one, the one after is refused.
            CompletableFuture<ServerHarness.Response> queued = CompletableFuture.supplyAsync(() -> h.post("/v1/completions",
                    "{\"prompt\": \"Once upon a time\", \"max_tokens\": 30, \"temperature\": 0}"));
            await(() -> metric(h, "euclid_requests_waiting") == 1, "the second request waits");
            ServerHarness.Response refused = h.post("/v1/completions", "{\"prompt\": \"Once\", \"max_tokens\": 2}");
            assertEquals(429, refused.status(), refused.body());
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("queue_full", refused.json().path("error").path("code").asText());
            assertTrue(!queued.isDone(), "the queued request waits while the stream holds the place");

            holder.close(); // hang up: the server's next write fails and cancels the stream's request
            ServerHarness.Response served = queued.get();
            assertEquals(200, served.status(), served.body());
            assertEquals(expected.text(), served.json().path("choices").get(0).path("text").asText());
            await(() -> h.engine.kvStats().usedBlocks() == 0, "KV blocks in use return to 0");
            PrometheusSamples m = PrometheusSamples.parse(h.get("/metrics").body());
            assertEquals(1, m.value("euclid_client_disconnects_total"));
            assertEquals(1, m.value("euclid_http_requests_total{endpoint=\"/v1/completions\",code=\"429\"}"));
            assertEquals(2, m.value("euclid_http_requests_total{endpoint=\"/v1/completions\",code=\"200\"}"));
            assertEquals(expected.tokenIds().length, m.value("euclid_completion_tokens_total"),
                    "the cancelled stream's tokens are not counted as served");
            long streamTokens = h.engine.metrics().generatedTokens() - generatedBefore - expected.tokenIds().length;
            assertTrue(streamTokens < 32 * 500, "the stream was cancelled, not run to its end: " + streamTokens + " tokens");
            assertEquals(0, h.engine.metrics().runningSequences());
        }
    }

    static double metric(ServerHarness h, String series) {
        return PrometheusSamples.parse(h.get("/metrics").body()).value(series);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void aFailedRequestFailsAloneAndTheOthersAreServed() throws Exception {
        try (ServerHarness h = ServerHarness.start(o -> o)) {
            Completion expected = h.engine.generate(Request.of("Once upon a time", 200));
            CompletableFuture<ServerHarness.Response> neighbour = CompletableFuture.supplyAsync(() -> h.post("/v1/completions",
                    "{\"prompt\": \"Once upon a time\", \"max_tokens\": 200, \"temperature\": 0}"));
            // The engine fails a request past its timeout: 504 for it alone.
            String slow = "{\"prompt\": \"Once upon a time\", \"n\": 16, \"max_tokens\": 500, \"temperature\": 1,"
                    + " \"timeout\": 0.02";
            ServerHarness.Response timedOut = h.post("/v1/completions", slow + "}");
            assertEquals(504, timedOut.status(), timedOut.body());
            assertTrue(timedOut.json().path("error").path("message").asText().contains("timed out"), timedOut.body());
            ServerHarness.Stream stream = h.stream("/v1/completions", slow + ", \"stream\": true}");
            assertTrue(stream.done());
            JsonNode last = stream.events().get(stream.events().size() - 1);
            assertEquals("timeout", last.path("error").path("type").asText(), last.toString());
            // The engine refuses a request it can never run (no drafter loaded): 400 for it alone.
            JsonNode e = h.post("/v1/completions", "{\"prompt\": \"Once\", \"speculative\": \"redrafter\"}").json();
            assertTrue(e.path("error").path("message").asText().contains("none is loaded"), e.toString());

            assertEquals(expected.text(), neighbour.get().json().path("choices").get(0).path("text").asText());
            JsonNode ok = h.post("/v1/completions", "{\"prompt\": \"Once upon a time\", \"max_tokens\": 200, \"temperature\": 0,"
                    + " \"speculative\": \"lookup\", \"draft_tokens\": 3}").json();
            assertEquals(expected.text(), ok.path("choices").get(0).path("text").asText(), "lookup drafts change nothing");
            await(() -> h.engine.kvStats().usedBlocks() == 0, "the failed requests' blocks are freed");
        }
    }
}
