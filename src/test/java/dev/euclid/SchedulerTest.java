package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** In-flight batching: concurrent requests, streaming, cancel, timeout, preemption, close. */
class SchedulerTest {
    private static Path stories() {
        return SharedModels.models().resolve("stories260K/stories260K.bin");
    }

    private static Engine open(long kvBlocks) {
        KvOptions kv = KvOptions.defaults();
        if (kvBlocks > 0) {
            try (Engine probe = Engine.open(stories())) {
                kv = kv.withBudgetBytes(kvBlocks * probe.kvStats().bytesPerToken() * 16);
            }
        }
        return Engine.open(stories(), EngineOptions.defaults().withKv(kv).withThreads(2));
    }

    private static List<Request> randomRequests(long seed, int count) {
        Random rnd = new Random(seed);
        String[] prompts = {"Once upon a time", "Lily wanted to", "The little dog", "", "One day, a boy named Tom"};
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Sampling s = rnd.nextBoolean() ? Sampling.greedy()
                    : Sampling.builder().temperature(0.5f + rnd.nextFloat()).topP(0.8f + 0.2f * rnd.nextFloat())
                            .topK(rnd.nextInt(3) == 0 ? 20 : 0).seed(rnd.nextLong()).build();
            out.add(Request.builder().prompt(prompts[rnd.nextInt(prompts.length)]).maxTokens(5 + rnd.nextInt(60))
                    .samples(1 + rnd.nextInt(3)).sampling(s).logprobs(true).stopTokenIds(rnd.nextBoolean() ? new int[] {1} : new int[0])
                    .build());
        }
        return out;
    }

    private static void assertSame(Generation alone, Generation together, String what) {
        assertEquals(alone.samples().size(), together.samples().size(), what);
        for (int i = 0; i < alone.samples().size(); i++) {
            assertArrayEquals(alone.samples().get(i).tokenIds(), together.samples().get(i).tokenIds(), what + " sample " + i);
            assertArrayEquals(alone.samples().get(i).logprobs(), together.samples().get(i).logprobs(), 0f, what + " sample " + i);
            assertEquals(alone.samples().get(i).finishReason(), together.samples().get(i).finishReason(), what);
        }
    }

    @Test
    void concurrentRequestsGetBitIdenticalResultsToRunningAlone() throws Exception {
        List<Request> requests = randomRequests(7, 24);
        List<Generation> alone = new ArrayList<>();
        try (Engine e = open(0)) {
            for (Request r : requests) alone.add(e.generateAll(r));
        }
        // Two different batch compositions: 4 submitting threads, and one burst with a smaller step.
        for (int round = 0; round < 2; round++) {
            EngineOptions options = EngineOptions.defaults().withThreads(2).withMaxTokensPerStep(round == 0 ? 128 : 7)
                    .withKv(KvOptions.defaults().withBudgetBytes(400L * 16 * 5 * 2 * 32 * 4));
            try (Engine e = Engine.open(stories(), options)) {
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<RequestHandle> handles = new CopyOnWriteArrayList<>();
                ConcurrentHashMap<Integer, RequestHandle> byIndex = new ConcurrentHashMap<>();
                CountDownLatch go = new CountDownLatch(1);
                for (int i = 0; i < requests.size(); i++) {
                    int index = i;
                    pool.submit(() -> {
                        go.await();
                        byIndex.put(index, e.submit(requests.get(index)));
                        return null;
                    });
                }
                go.countDown();
                pool.shutdown();
                assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
                long tokens = 0;
                for (int i = 0; i < requests.size(); i++) {
                    Generation g = byIndex.get(i).result().get(60, TimeUnit.SECONDS);
                    assertSame(alone.get(i), g, "round " + round + " request " + i);
                    for (Completion c : g.samples()) tokens += c.tokenIds().length;
                }
                EngineMetrics m = e.metrics();
                assertEquals(tokens, m.generatedTokens());
                assertEquals(0, m.queuedRequests());
                assertEquals(0, m.runningSequences());
                assertTrue(m.steps() > 0 && m.meanStepMillis() > 0 && m.recentTokensPerSecond() > 0, m.toString());
                assertEquals(0, m.kv().usedBlocks());
            }
        }
    }

    @Test
    void streamedTokensEqualTheFinalResult() throws Exception {
        try (Engine e = open(0)) {
            Request r = Request.builder().prompt("Once upon a time").maxTokens(40).samples(3)
                    .sampling(Sampling.builder().temperature(1f).seed(3).build()).stopTokenIds().build();
            RequestHandle h = e.submit(r);
            List<TokenEvent> events = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            h.tokens().subscribe(new Flow.Subscriber<>() {
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE);
                }

                public void onNext(TokenEvent item) {
                    events.add(item);
                }

                public void onError(Throwable t) {
                    done.countDown();
                }

                public void onComplete() {
                    done.countDown();
                }
            });
            Generation g = h.result().get(30, TimeUnit.SECONDS);
            assertTrue(done.await(10, TimeUnit.SECONDS));
            for (int s = 0; s < 3; s++) {
                StringBuilder text = new StringBuilder();
                List<Integer> ids = new ArrayList<>();
                for (TokenEvent ev : events) {
                    if (ev.sample() == s) {
                        text.append(ev.text());
                        ids.add(ev.tokenId());
                    }
                }
                assertArrayEquals(g.samples().get(s).tokenIds(), ids.stream().mapToInt(Integer::intValue).toArray());
                assertEquals(g.samples().get(s).text(), text.toString());
            }
        }
    }

    @Test
    void cancelAndTimeoutEndOnlyTheirOwnRequest() throws Exception {
        try (Engine e = open(0)) {
            Request longOne = Request.builder().prompt("Once upon a time").maxTokens(500).stopTokenIds().build();
            Request normal = Request.builder().prompt("Lily wanted to").maxTokens(30).stopTokenIds().build();
            Generation expected = e.generateAll(normal);
            RequestHandle cancelled = e.submit(longOne);
            RequestHandle timed = e.submit(Request.builder().prompt("The dog").maxTokens(500).stopTokenIds()
                    .timeout(Duration.ofMillis(1)).build());
            RequestHandle other = e.submit(normal);
            assertTrue(cancelled.cancel());
            assertThrows(CancellationException.class, () -> cancelled.result().join());
            CompletionException t = assertThrows(CompletionException.class, () -> timed.result().join());
            assertInstanceOf(TimeoutException.class, t.getCause());
            assertSame(expected, other.result().get(30, TimeUnit.SECONDS), "the other request");
            assertEquals(0, e.kvStats().usedBlocks());
        }
    }

    @Test
    void preemptedRequestsStillProduceTheirTokens() throws Exception {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            requests.add(Request.builder().prompt(i % 2 == 0 ? "Once upon a time" : "Lily wanted to").maxTokens(150)
                    .stopTokenIds().priority(i % 3).sampling(Sampling.builder().temperature(1f).seed(i).build()).build());
        }
        List<Generation> alone = new ArrayList<>();
        try (Engine e = open(0)) {
            for (Request r : requests) alone.add(e.generateAll(r));
        }
        // 24 blocks of 16 positions: room for about two of these requests at once.
        try (Engine e = open(24)) {
            List<RequestHandle> handles = new ArrayList<>();
            for (Request r : requests) handles.add(e.submit(r));
            for (int i = 0; i < requests.size(); i++) {
                assertSame(alone.get(i), handles.get(i).result().get(120, TimeUnit.SECONDS), "request " + i);
            }
            assertTrue(e.metrics().preemptions() > 0, "requests were preempted");
            assertEquals(0, e.kvStats().usedBlocks());
        }
    }

    @Test
    void closeFailsRunningRequestsAndLaterSubmitsThrow() {
        Engine e = open(0);
        RequestHandle running = e.submit(Request.builder().prompt("Once upon a time").maxTokens(500).stopTokenIds().build());
        e.close();
        CompletionException c = assertThrows(CompletionException.class, () -> running.result().join());
        assertInstanceOf(IllegalStateException.class, c.getCause());
        assertThrows(IllegalStateException.class, () -> e.submit(Request.of("x", 3)));
    }

    @Test
    void invalidRequestsFailTheirOwnFutureWithoutDisturbingOthers() throws Exception {
        try (Engine e = open(0)) {
            RequestHandle good = e.submit(Request.builder().prompt("Once upon a time").maxTokens(50).stopTokenIds().build());
            String[] expected = {"600 tokens", "token id 9999", "stop token id 512", "KV"};
            RequestHandle[] bad = {
                e.submit(Request.builder().promptTokens(new int[600]).build()),
                e.submit(Request.builder().promptTokens(1, 9999).build()),
                e.submit(Request.builder().prompt("x").stopTokenIds(512).build()),
                // Full-context samples, one more than the default KV pool holds.
                e.submit(Request.builder().prompt("x").maxTokens(600).samples(KvOptions.DEFAULT_BUDGET_SEQUENCES + 1).build())};
            for (int i = 0; i < bad.length; i++) {
                CompletionException c = assertThrows(CompletionException.class, bad[i].result()::join);
                assertInstanceOf(IllegalArgumentException.class, c.getCause());
                assertTrue(c.getCause().getMessage().contains(expected[i]), c.getCause().getMessage());
            }
            assertEquals(50, good.result().get(30, TimeUnit.SECONDS).samples().get(0).tokenIds().length);
        }
    }

    @Test
    void cancellingOneSampleLeavesTheOthersRunning() throws Exception {
        try (Engine e = open(64)) {
            Request r = Request.builder().prompt("Once upon a time").maxTokens(200).samples(3).stopTokenIds()
                    .sampling(Sampling.builder().temperature(1f).seed(5).build()).build();
            Generation alone = e.generateAll(r);
            // The tiny model can finish all 200 tokens while this thread waits to be scheduled:
            // then cancel(1) rightly refuses (the sample ended at LENGTH), and the race is run again.
            RequestHandle h = null;
            for (int attempt = 0; attempt < 10 && h == null; attempt++) {
                RequestHandle candidate = submitAndAwaitFirstToken(e, r);
                if (candidate.cancel(1)) {
                    h = candidate;
                } else {
                    Generation finished = candidate.result().get(60, TimeUnit.SECONDS);
                    assertEquals(FinishReason.LENGTH, finished.samples().get(1).finishReason(),
                            "cancel(1) refused a sample that had not finished");
                }
            }
            assertTrue(h != null, "sample 1 always finished before it could be cancelled");
            Generation g = h.result().get(60, TimeUnit.SECONDS);
            assertEquals(FinishReason.CANCELLED, g.samples().get(1).finishReason());
            assertTrue(g.samples().get(1).tokenIds().length < 200);
            assertArrayEquals(alone.samples().get(0).tokenIds(), g.samples().get(0).tokenIds());
            assertArrayEquals(alone.samples().get(2).tokenIds(), g.samples().get(2).tokenIds());
            assertEquals(0, e.kvStats().usedBlocks());
        }
    }

    private static RequestHandle submitAndAwaitFirstToken(Engine e, Request r) throws InterruptedException {
        CountDownLatch first = new CountDownLatch(1);
        RequestHandle h = e.submit(r);
        h.tokens().subscribe(new Flow.Subscriber<>() {
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            public void onNext(TokenEvent item) {
                first.countDown();
            }

            public void onError(Throwable t) {}

            public void onComplete() {}
        });
        assertTrue(first.await(30, TimeUnit.SECONDS));
        return h;
    }
}
