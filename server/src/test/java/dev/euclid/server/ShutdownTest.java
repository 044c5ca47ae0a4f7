package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Diagnostics;
import dev.euclid.Engine;
import dev.euclid.Request;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Shutdown lets running requests finish within the grace period, cancels them after it, and leaves nothing behind. */
class ShutdownTest {
    @Test
    void runningStreamsFinishWithinTheGracePeriod() throws Exception {
        long nativeBefore = Diagnostics.nativeBytesInUse();
        try (Engine engine = ServerHarness.openEngine()) {
            ServerHarness h = ServerHarness.start(engine, o -> o.withShutdownGrace(Duration.ofSeconds(30)), false);
            Completion expected = engine.generate(Request.of("Once upon a time", 500));
            try (RawHttp client = new RawHttp(h.base.getPort())) {
                // More than the socket buffers hold: the stream waits for its reader.
                client.postJson("/v1/completions", "{\"prompt\": \"Once upon a time\", \"temperature\": 0, "
                        + ServerHarness.UNREAD_STREAM + "}");
                assertEquals(200, RawHttp.status(client.readHead()));
                StringBuilder body = new StringBuilder(new String(client.readChunk(), StandardCharsets.UTF_8));
                CompletableFuture<Void> shutdown = CompletableFuture.runAsync(h::close);
                CapacityAndDisconnectTest.await(() -> h.get("/health").body().contains("shutting down"),
                        "health reports the shutdown");
                assertFalse(shutdown.isDone(), "shutdown waits for the running stream");
                assertRefusedWhileDraining(h);
                body.append(client.readChunkedBody());
                shutdown.get();
                assertTrue(body.toString().endsWith("data: [DONE]\n\n"), body.toString());
                for (int i = 0; i < 32; i++) assertEquals(expected.text(), streamedText(body.toString(), i), "choice " + i);
            }
            assertNoRequestThreads();
        }
        assertEquals(nativeBefore, Diagnostics.nativeBytesInUse(), "native memory after the engine is closed");
    }

    @Test
    void streamsStillRunningAtTheDeadlineAreCancelled() throws Exception {
        try (Engine engine = ServerHarness.openEngine()) {
            ServerHarness h = ServerHarness.start(engine, o -> o.withShutdownGrace(Duration.ZERO), false);
            try (RawHttp client = new RawHttp(h.base.getPort())) {
                client.postJson("/v1/completions", "{\"prompt\": \"Once upon a time\", \"temperature\": 1, "
                        + ServerHarness.UNREAD_STREAM + "}");
                assertEquals(200, RawHttp.status(client.readHead()));
                client.readChunk();
                CompletableFuture<Void> shutdown = CompletableFuture.runAsync(h::close);
                String rest = client.readChunkedBody();
                shutdown.get();
                String[] events = rest.split("\n\n");
                assertEquals("data: [DONE]", events[events.length - 1]);
                JsonNode error = ServerHarness.JSON.readTree(events[events.length - 2].substring(6)).path("error");
                assertEquals("the server is shutting down", error.path("message").asText(), rest);
            }
            CapacityAndDisconnectTest.await(() -> engine.kvStats().usedBlocks() == 0, "the cancelled request's blocks are freed");
            assertNoRequestThreads();
        }
    }

    /** While draining, new generation requests get 503 with OpenAI's error object, before their body is read. */
    static void assertRefusedWhileDraining(ServerHarness h) {
        for (String[] call : new String[][] {{"/v1/completions", "{\"prompt\": \"Once upon a time\", \"max_tokens\": 5}"},
                {"/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"}}) {
            ServerHarness.Response r = h.post(call[0], call[1]);
            assertEquals(503, r.status(), call[0] + ": " + r.body());
            JsonNode error = r.json().path("error");
            assertEquals("the server is shutting down", error.path("message").asText(), r.body());
            assertEquals("service_unavailable", error.path("type").asText(), r.body());
            assertTrue(error.has("param") && error.has("code"), "OpenAI's error object has all four fields: " + r.body());
        }
    }

    private static String streamedText(String sse, int choice) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String event : sse.split("\n\n")) {
            if (!event.startsWith("data: {")) continue;
            JsonNode c = ServerHarness.JSON.readTree(event.substring(6)).path("choices").get(0);
            if (c.path("index").asInt() == choice) text.append(c.path("text").asText());
        }
        return text.toString();
    }

    /**
     * A pool reports itself terminated when its last worker leaves the run loop, a moment before
     * that thread ends; so each request thread still alive gets a few seconds to end before it
     * counts as left running.
     */
    static void assertNoRequestThreads() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().startsWith(RequestThreads.NAME) && !t.getName().startsWith("HTTP-Dispatcher")) continue;
            t.join(5_000);
            assertFalse(t.isAlive(), "thread left running: " + t.getName());
        }
    }
}
