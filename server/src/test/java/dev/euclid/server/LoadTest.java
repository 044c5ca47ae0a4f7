package dev.euclid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.euclid.Completion;
import dev.euclid.Diagnostics;
import dev.euclid.Engine;
import dev.euclid.EngineOptions;
import dev.euclid.KvOptions;
import dev.euclid.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Load and abuse on loopback (issue 19, item 5): concurrent clients send mixed completions and chat
 * requests (streaming and not, n from 1 to 8, different lengths), a fifth of them hang up mid-stream
 * and one in twenty sends a malformed body. Afterwards every well-formed request got 200 and exactly
 * the tokens it gets alone (greedy), the KV cache holds no blocks, /metrics agrees with what was
 * sent, and closing leaves no request thread and no native memory behind.
 *
 * <p>The size, 256 clients and 5,000 requests: about a minute on a 2-core machine.
 */
class LoadTest {
    private static final int CLIENTS = 256;
    private static final int REQUESTS = 5000;
    private static final String[] PROMPTS = {
        "Once upon a time", "The cat", "Lily and Ben went to the park", "One day, a little bird",
        "Tom had a red ball. He liked to play with it every day, but one day the ball", "The sun was hot",
        "There was a big tree in the garden. Under the tree lived a small mouse who", "Sara",
    };
    private static final int[] MAX_TOKENS = {4, 16, 40, 96};
    /** Bodies a client gets wrong, and the status each must get. */
    private static final String[] MALFORMED = {
        "{\"prompt\": \"Once", "{\"prompt\": 5}", "{\"prompt\": \"x\", \"n\": 0}", "{\"prompt\": \"x\", \"max_tokens\": -1}",
        "{\"prompt\": \"x\", \"n\": 100000}", "{\"model\": \"nope\", \"prompt\": \"x\"}", null, // null: invalid UTF-8
    };
    private static final int[] MALFORMED_STATUS = {400, 400, 400, 400, 400, 404, 400};

    private record Plan(int index, boolean chat, boolean stream, int prompt, int maxTokens, int n, int malformed,
            int hangUpAfterChunks) {
        boolean wellFormed() {
            return malformed < 0;
        }

        boolean hangsUp() {
            return hangUpAfterChunks >= 0;
        }

        String body() {
            String common = "\"max_tokens\": " + maxTokens + ", \"n\": " + n + ", \"temperature\": 0"
                    + (stream ? ", \"stream\": true, \"stream_options\": {\"include_usage\": true}" : "");
            String prompt = ServerHarness.JSON.valueToTree(PROMPTS[this.prompt]).toString();
            return chat ? "{\"model\": \"stories260K\", \"messages\": [{\"role\": \"user\", \"content\": " + prompt + "}], "
                    + common + "}" : "{\"model\": \"stories260K\", \"prompt\": " + prompt + ", " + common + "}";
        }

        static Plan of(int index) {
            // SplittableRandom: java.util.Random's first draws from neighbouring seeds are nearly the same.
            SplittableRandom r = new SplittableRandom(1234L + index);
            boolean chat = r.nextBoolean();
            int malformed = r.nextInt(100) < 5 ? r.nextInt(MALFORMED.length) : -1;
            boolean hangUp = malformed < 0 && r.nextInt(100) < 20;
            return new Plan(index, chat, hangUp || r.nextBoolean(), r.nextInt(PROMPTS.length),
                    MAX_TOKENS[r.nextInt(MAX_TOKENS.length)], 1 + r.nextInt(8), malformed, hangUp ? r.nextInt(6) : -1);
        }
    }

    @Test
    void concurrentMixedAbusiveClientsGetExactAnswersAndLeaveNothingBehind() throws Exception {
        long nativeBefore = Diagnostics.nativeBytesInUse();
        // KV for about 5 full-context sequences: far less than 256 clients x 8 choices hold at once, so the engine
        // queues and preempts (recomputing), and each answer must still be the one it gets alone.
        try (Engine engine = Engine.open(ServerHarness.stories260K(), EngineOptions.defaults().withThreads(2)
                .withKv(KvOptions.defaults().withBudgetBytes(3L << 20)))) {
            Completion[][] expected = new Completion[PROMPTS.length][MAX_TOKENS.length];
            for (int p = 0; p < PROMPTS.length; p++) {
                for (int m = 0; m < MAX_TOKENS.length; m++) expected[p][m] = engine.generate(Request.of(PROMPTS[p], MAX_TOKENS[m]));
            }
            ServerHarness h = ServerHarness.start(engine, o -> o.withLimits(CLIENTS, CLIENTS, 1 << 20), false);
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Map<Integer, AtomicInteger> malformedByStatus = new ConcurrentHashMap<>();
            AtomicInteger wellFormed = new AtomicInteger(), hungUp = new AtomicInteger();
            AtomicLong servedTokens = new AtomicLong(), hungUpTokenBound = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            long start = System.nanoTime();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread t = new Thread(() -> {
                    for (int i; (i = next.getAndIncrement()) < REQUESTS; ) {
                        Plan plan = Plan.of(i);
                        try {
                            if (!plan.wellFormed()) {
                                int status = malformed(h, plan);
                                malformedByStatus.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                                if (status != MALFORMED_STATUS[plan.malformed()]) failures.add(plan + ": status " + status);
                                continue;
                            }
                            wellFormed.incrementAndGet();
                            Completion want = expected[plan.prompt()][indexOf(plan.maxTokens())];
                            if (plan.hangsUp()) {
                                hungUp.incrementAndGet();
                                hungUpTokenBound.addAndGet((long) plan.n() * want.tokenIds().length);
                                hangUp(h, plan);
                            } else {
                                String problem = plan.stream() ? checkStream(h, plan, want) : checkJson(h, plan, want);
                                if (problem != null) failures.add(plan + ": " + problem);
                                else servedTokens.addAndGet((long) plan.n() * want.tokenIds().length);
                            }
                        } catch (IOException | RuntimeException e) {
                            failures.add(plan + ": " + e);
                        }
                    }
                }, "load-client-" + c);
                t.start();
                clients.add(t);
            }
            for (Thread t : clients) t.join();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("load: %d requests (%d well-formed, %d hung up, %s malformed) from %d clients in %.1f s%n",
                    REQUESTS, wellFormed.get(), hungUp.get(), malformedByStatus, CLIENTS, seconds);
            assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.stream().limit(5).toList());

            CapacityAndDisconnectTest.await(() -> engine.kvStats().usedBlocks() == 0, "KV blocks in use return to 0");
            assertEquals(0, engine.metrics().runningSequences());
            assertEquals(0, engine.metrics().queuedRequests());
            PrometheusSamples m = PrometheusSamples.parse(h.get("/metrics").body());
            double ok = m.value("euclid_http_requests_total{endpoint=\"/v1/completions\",code=\"200\"}")
                    + m.value("euclid_http_requests_total{endpoint=\"/v1/chat/completions\",code=\"200\"}");
            assertEquals(wellFormed.get(), ok, "every well-formed request was answered 200");
            for (Map.Entry<Integer, AtomicInteger> e : malformedByStatus.entrySet()) {
                double counted = 0;
                for (String endpoint : new String[] {"/v1/completions", "/v1/chat/completions"}) {
                    String series = "euclid_http_requests_total{endpoint=\"" + endpoint + "\",code=\"" + e.getKey() + "\"}";
                    if (m.has(series)) counted += m.value(series);
                }
                assertEquals(e.getValue().get(), counted, "responses with status " + e.getKey());
            }
            double disconnects = m.value("euclid_client_disconnects_total");
            System.out.printf("load: %.0f disconnects noticed, %.0f preemptions, %.0f prefix-cache hit tokens%n", disconnects,
                    m.value("euclid_preemptions_total"), m.value("euclid_prefix_cache_hit_tokens_total"));
            assertTrue(disconnects > 0 && disconnects <= hungUp.get(), disconnects + " disconnects of " + hungUp.get());
            assertTrue(m.value("euclid_preemptions_total") > 0, "the small KV budget made the engine preempt");
            double tokens = m.value("euclid_completion_tokens_total");
            assertTrue(tokens >= servedTokens.get() && tokens <= servedTokens.get() + hungUpTokenBound.get(),
                    tokens + " tokens counted; served " + servedTokens.get() + " + at most " + hungUpTokenBound.get());
            assertEquals(0, m.value("euclid_requests_running"));
            assertEquals(0, m.value("euclid_requests_waiting"));
            assertEquals(wellFormed.get(), m.value("euclid_request_duration_seconds_count"));
            // A request cancelled before its first token has no time to first token.
            double firstTokens = m.value("euclid_time_to_first_token_seconds_count");
            assertTrue(firstTokens >= wellFormed.get() - hungUp.get() && firstTokens <= wellFormed.get(), firstTokens + "");
            h.close();
            ShutdownTest.assertNoRequestThreads();
        }
        assertEquals(nativeBefore, Diagnostics.nativeBytesInUse(), "native memory after the engine is closed");
    }

    private static int indexOf(int maxTokens) {
        for (int i = 0; i < MAX_TOKENS.length; i++) if (MAX_TOKENS[i] == maxTokens) return i;
        throw new IllegalArgumentException(String.valueOf(maxTokens));
    }

    private static String path(Plan plan) {
        return plan.chat() ? "/v1/chat/completions" : "/v1/completions";
    }

    /** Sends a malformed body; returns the status, checking the error object. */
    private static int malformed(ServerHarness h, Plan plan) throws IOException {
        byte[] body = MALFORMED[plan.malformed()] == null ? new byte[] {'{', '"', 'p', '"', ':', '"', (byte) 0xC0, '"', '}'}
                : MALFORMED[plan.malformed()].getBytes(StandardCharsets.UTF_8);
        try (RawHttp raw = new RawHttp(h.base.getPort())) {
            raw.post(path(plan), "Connection: close\r\nContent-Length: " + body.length + "\r\n", body);
            String head = raw.readHead();
            JsonNode error = ServerHarness.JSON.readTree(raw.readBody(head)).path("error");
            if (!error.path("message").isTextual() || !error.has("type") || !error.has("param") || !error.has("code")) {
                throw new IllegalStateException("not OpenAI's error object: " + error);
            }
            return RawHttp.status(head);
        }
    }

    private static void hangUp(ServerHarness h, Plan plan) throws IOException {
        try (RawHttp raw = new RawHttp(h.base.getPort())) {
            byte[] body = plan.body().getBytes(StandardCharsets.UTF_8);
            raw.post(path(plan), "Connection: close\r\nContent-Length: " + body.length + "\r\n", body);
            if (plan.hangUpAfterChunks() == 0) return; // before even the head
            raw.readHead();
            for (int i = 1; i < plan.hangUpAfterChunks(); i++) {
                if (raw.readChunk().length == 0) return;
            }
        }
    }

    private static String checkJson(ServerHarness h, Plan plan, Completion want) throws IOException {
        try (RawHttp raw = new RawHttp(h.base.getPort())) {
            byte[] body = plan.body().getBytes(StandardCharsets.UTF_8);
            raw.post(path(plan), "Connection: close\r\nContent-Length: " + body.length + "\r\n", body);
            String head = raw.readHead();
            String text = raw.readBody(head);
            if (RawHttp.status(head) != 200) return "status " + RawHttp.status(head) + ": " + text;
            JsonNode j = ServerHarness.JSON.readTree(text);
            if (j.path("choices").size() != plan.n()) return "choices: " + j.path("choices").size();
            for (JsonNode c : j.path("choices")) {
                String got = plan.chat() ? c.path("message").path("content").asText() : c.path("text").asText();
                if (!got.equals(want.text())) return "choice " + c.path("index") + " text '" + got + "', alone '" + want.text() + "'";
                if (!c.path("finish_reason").asText().equals(want.finishReason().wireName())) return "finish " + c;
            }
            long tokens = j.path("usage").path("completion_tokens").asLong();
            return tokens == (long) plan.n() * want.tokenIds().length ? null : "completion_tokens " + tokens;
        }
    }

    private static String checkStream(ServerHarness h, Plan plan, Completion want) throws IOException {
        try (RawHttp raw = new RawHttp(h.base.getPort())) {
            byte[] body = plan.body().getBytes(StandardCharsets.UTF_8);
            raw.post(path(plan), "Connection: close\r\nContent-Length: " + body.length + "\r\n", body);
            String head = raw.readHead();
            if (RawHttp.status(head) != 200) return "status " + RawHttp.status(head);
            String[] events = raw.readChunkedBody().split("\n\n");
            if (!events[events.length - 1].equals("data: [DONE]")) return "no [DONE]: " + events[events.length - 1];
            StringBuilder[] texts = new StringBuilder[plan.n()];
            String[] finish = new String[plan.n()];
            for (int i = 0; i < plan.n(); i++) texts[i] = new StringBuilder();
            long usage = -1;
            for (int e = 0; e < events.length - 1; e++) {
                JsonNode j = ServerHarness.JSON.readTree(events[e].substring("data: ".length()));
                if (j.path("usage").isObject()) usage = j.path("usage").path("completion_tokens").asLong();
                for (JsonNode c : j.path("choices")) {
                    int i = c.path("index").asInt();
                    JsonNode t = plan.chat() ? c.path("delta").path("content") : c.path("text");
                    if (t.isTextual()) texts[i].append(t.asText());
                    if (c.path("finish_reason").isTextual()) finish[i] = c.path("finish_reason").asText();
                }
            }
            for (int i = 0; i < plan.n(); i++) {
                if (!texts[i].toString().equals(want.text())) return "choice " + i + " streamed '" + texts[i] + "', alone '" + want.text() + "'";
                if (!want.finishReason().wireName().equals(finish[i])) return "choice " + i + " finish " + finish[i];
            }
            return usage == (long) plan.n() * want.tokenIds().length ? null : "usage " + usage;
        }
    }
}
