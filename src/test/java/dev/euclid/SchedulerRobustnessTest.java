package dev.euclid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.euclid.testing.SharedModels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 8 submitting threads x 200 requests with random parameters, random cancels and timeouts, on a KV
 * budget small enough to force preemption: every handle ends (normally, cancelled or timed out),
 * every stream equals its result, the pool ends all free and no engine thread is left behind.
 */
class SchedulerRobustnessTest {
    @Test
    void manyThreadsRandomRequestsCancelsAndTimeouts() throws Exception {
        long threadsBefore = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("euclid")).count();
        EngineOptions options = EngineOptions.defaults().withThreads(2)
                .withKv(KvOptions.defaults().withBudgetBytes(64L * 16 * 5 * 2 * 32 * 4)); // 64 blocks of 16 positions
        AtomicInteger completed = new AtomicInteger(), cancelled = new AtomicInteger(), timedOut = new AtomicInteger();
        try (Engine engine = Engine.open(SharedModels.models().resolve("stories260K/stories260K.bin"), options)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                pool.submit(() -> {
                    Random rnd = new Random(seed);
                    for (int i = 0; i < 200; i++) {
                        try {
                            runOne(engine, rnd, completed, cancelled, timedOut);
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(8, TimeUnit.MINUTES), "requests did not finish");
            if (!failures.isEmpty()) throw new AssertionError(failures.size() + " failures, first: " + failures.get(0), failures.get(0));
            assertEquals(1600, completed.get() + cancelled.get() + timedOut.get());
            assertTrue(completed.get() > 800, "completed " + completed.get());
            KvStats kv = engine.kvStats();
            assertEquals(0, kv.usedBlocks(), kv.toString());
        }
        Thread.sleep(100);
        long threadsAfter = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("euclid")).count();
        assertEquals(threadsBefore, threadsAfter, "engine threads left running");
    }

    private static void runOne(Engine engine, Random rnd, AtomicInteger completed, AtomicInteger cancelled,
            AtomicInteger timedOut) throws Exception {
        String[] prompts = {"Once upon a time", "Lily wanted to", "", "The little dog saw a"};
        Request.Builder b = Request.builder().prompt(prompts[rnd.nextInt(prompts.length)]).maxTokens(1 + rnd.nextInt(80))
                .samples(1 + rnd.nextInt(3)).priority(rnd.nextInt(3))
                .sampling(Sampling.builder().temperature(rnd.nextFloat() * 1.5f).topP(0.5f + rnd.nextFloat() * 0.5f)
                        .seed(rnd.nextLong()).build());
        if (rnd.nextInt(10) == 0) b.timeout(Duration.ofMillis(1 + rnd.nextInt(20)));
        RequestHandle h = engine.submit(b.build());
        Map<Integer, StringBuilder> streamed = new ConcurrentHashMap<>();
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);
        h.tokens().subscribe(new Flow.Subscriber<>() {
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            public void onNext(TokenEvent e) {
                streamed.computeIfAbsent(e.sample(), k -> new StringBuilder()).append(e.tokenId()).append(',');
            }

            public void onError(Throwable t) {
                ended.countDown();
            }

            public void onComplete() {
                ended.countDown();
            }
        });
        if (rnd.nextInt(8) == 0) h.cancel();
        try {
            Generation g = h.result().get(5, TimeUnit.MINUTES);
            assertTrue(ended.await(30, TimeUnit.SECONDS), "stream did not complete");
            for (int s = 0; s < g.samples().size(); s++) {
                StringBuilder expected = new StringBuilder();
                for (int id : g.samples().get(s).tokenIds()) expected.append(id).append(',');
                assertEquals(expected.toString(), streamed.getOrDefault(s, new StringBuilder()).toString(), "sample " + s);
            }
            completed.incrementAndGet();
        } catch (CancellationException e) {
            cancelled.incrementAndGet();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) timedOut.incrementAndGet();
            else if (e.getCause() instanceof CancellationException) cancelled.incrementAndGet();
            else throw e;
        }
    }
}
