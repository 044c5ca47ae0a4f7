package dev.euclid.internal.sched;

import dev.euclid.TokenEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams a request's tokens to any number of subscribers. The engine thread only enqueues (it
 * never blocks on a slow subscriber); each subscriber is served on the common pool in order,
 * honouring its demand, one delivery at a time. Every subscriber gets the whole stream, however
 * late it subscribes (a request's tokens are few enough to keep).
 */
final class TokenPublisher implements Flow.Publisher<TokenEvent> {
    private final List<Sub> subs = new CopyOnWriteArrayList<>();
    private final List<TokenEvent> history = new ArrayList<>();
    private volatile boolean done;
    private volatile Throwable failure;

    @Override
    public void subscribe(Flow.Subscriber<? super TokenEvent> subscriber) {
        Sub s = new Sub(subscriber);
        synchronized (history) {
            s.queue.addAll(history);
            subs.add(s);
        }
        subscriber.onSubscribe(s);
        s.drain();
    }

    void publish(TokenEvent e) {
        synchronized (history) {
            history.add(e);
            for (Sub s : subs) s.queue.add(e);
        }
        for (Sub s : subs) s.drain();
    }

    void complete(Throwable error) {
        failure = error;
        done = true;
        for (Sub s : subs) s.drain();
    }

    private final class Sub implements Flow.Subscription {
        final Flow.Subscriber<? super TokenEvent> subscriber;
        final Queue<TokenEvent> queue = new ConcurrentLinkedQueue<>();
        final AtomicLong demand = new AtomicLong();
        final AtomicInteger wip = new AtomicInteger();
        final Executor executor = ForkJoinPool.commonPool();
        volatile boolean cancelled;
        boolean terminated;

        Sub(Flow.Subscriber<? super TokenEvent> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive"));
                return;
            }
            demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            subs.remove(this);
        }

        void drain() {
            if (wip.getAndIncrement() == 0) executor.execute(this::run);
        }

        private void run() {
            do {
                while (!cancelled && demand.get() > 0 && !queue.isEmpty()) {
                    demand.decrementAndGet();
                    subscriber.onNext(queue.poll());
                }
                if (!cancelled && !terminated && done && queue.isEmpty()) {
                    terminated = true;
                    if (failure == null) subscriber.onComplete();
                    else subscriber.onError(failure);
                }
            } while (wip.decrementAndGet() != 0);
        }
    }
}
