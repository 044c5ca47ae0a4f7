package dev.euclid.bench.serve;

import dev.euclid.Engine;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import dev.euclid.TokenEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.function.IntFunction;

/**
 * The same closed loop as {@link HttpLoad#closedLoop}, through {@link Engine#submit} in this JVM:
 * what the server's clients would get if HTTP cost nothing.
 */
final class InProcessLoad {
    private InProcessLoad() {}

    static List<RequestTiming> closedLoop(Engine engine, int clients, int perClient, int maxTokens, IntFunction<int[]> prompt)
            throws InterruptedException {
        ConcurrentLinkedQueue<RequestTiming> out = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            final int client = c;
            Thread t = new Thread(() -> {
                for (int r = 0; r < perClient; r++) out.add(run(engine, prompt.apply(r * clients + client), maxTokens));
            }, "inprocess-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
        return new ArrayList<>(out);
    }

    private static RequestTiming run(Engine engine, int[] prompt, int maxTokens) {
        long start = System.nanoTime();
        long[] times = new long[maxTokens];
        int[] count = {0};
        CountDownLatch delivered = new CountDownLatch(1);
        // No stop tokens: every answer is maxTokens long, as ignore_eos makes the HTTP ones.
        RequestHandle h = engine.submit(Request.builder().promptTokens(prompt).maxTokens(maxTokens).stopTokenIds().build());
        h.tokens().subscribe(new Flow.Subscriber<TokenEvent>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(TokenEvent e) {
                if (!e.text().isEmpty() && count[0] < times.length) times[count[0]++] = System.nanoTime();
            }

            @Override
            public void onError(Throwable t) {
                delivered.countDown();
            }

            @Override
            public void onComplete() {
                delivered.countDown();
            }
        });
        int tokens = h.result().join().samples().get(0).tokenIds().length;
        // Events reach the subscriber on another thread, possibly after the result: wait for the last one.
        try {
            delivered.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long end = System.nanoTime();
        int n = count[0];
        long[] gaps = new long[Math.max(0, n - 1)];
        for (int i = 1; i < n; i++) gaps[i - 1] = times[i] - times[i - 1];
        return new RequestTiming(start, n == 0 ? end : times[0], gaps, end, tokens);
    }
}
