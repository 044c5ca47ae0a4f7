package dev.euclid.internal.sched;

import dev.euclid.EngineMetrics;
import dev.euclid.KvStats;
import dev.euclid.Request;
import dev.euclid.RequestHandle;
import dev.euclid.TokenEvent;
import dev.euclid.Tokenizer;
import dev.euclid.internal.KvRuntime;
import dev.euclid.internal.kv.BlockManager;
import dev.euclid.internal.spec.BeamDrafter;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine loop: one thread that owns the KV cache and the native workspace. Requests arrive from
 * any thread through a queue; each step is planned ({@link StepPlanner}: admission, preemption,
 * drafts, the token budget), run ({@link StepRunner}) and applied ({@link StepApplier}: commits,
 * verification, forks, finishing, publishing). Tasks that touch native state from other threads
 * ({@link #call}) run between steps.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    private final Tokenizer tokenizer;
    private final RequestQueue requests;
    private final StepPlanner planner;
    private final StepRunner runner;
    private final StepApplier applier;
    private final SchedulerMetrics metrics = new SchedulerMetrics();
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closing;

    /**
     * @param speculativeStepTokens tokens a step may hold with draft tokens included (see
     *     {@link DraftPlanner#room}); decode tokens and prompt chunks are not limited by it
     */
    public Scheduler(KvRuntime runtime, Tokenizer tokenizer, int context, int vocab, int speculativeStepTokens) {
        BlockManager blocks = runtime.blocks();
        this.tokenizer = tokenizer;
        this.requests = new RequestQueue(blocks);
        this.runner = new StepRunner(runtime.kv());
        this.applier = new StepApplier(blocks, requests, metrics);
        Preemption preemption = new Preemption(blocks, requests, runner::copyBlock, metrics);
        this.planner = new StepPlanner(requests, new Admission(blocks), preemption,
                new DraftPlanner(context, vocab, speculativeStepTokens), runner.maxTokensPerStep());
        this.thread = new Thread(this::loop, "euclid-engine");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a validated request; returns its handle at once. */
    public RequestHandle submit(Request request, int[] prompt, int[] stopIds, int maxNew, Consumer<TokenEvent> listener) {
        RequestState r = new RequestState(request, prompt, stopIds, maxNew, tokenizer, listener, this::wake);
        if (closing) throw new IllegalStateException("engine is closed");
        requests.add(r);
        wake();
        return r;
    }

    /** A handle whose result has already failed: the request could never run. */
    public static RequestHandle refused(Request request, RuntimeException why) {
        return RequestState.failed(request, why);
    }

    /** Runs {@code task} on the engine thread between steps (native state is single-threaded). */
    public <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            try {
                return task.call();
            } catch (Exception e) {
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
        }
        FutureTask<T> f = new FutureTask<>(task);
        if (closing) throw new IllegalStateException("engine is closed");
        tasks.add(f);
        wake();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    private void wake() {
        LockSupport.unpark(thread);
    }

    private void loop() {
        while (true) {
            for (FutureTask<?> t; (t = tasks.poll()) != null; ) t.run();
            requests.takeIncoming();
            if (closing) break;
            requests.endExpired();
            if (requests.isEmpty()) {
                LockSupport.park(this);
                continue;
            }
            step();
        }
        requests.failAll(new IllegalStateException("engine closed while the request was running"));
        for (FutureTask<?> t; (t = tasks.poll()) != null; ) t.cancel(false);
        applier.close();
    }

    /** Plans, runs and applies one step. A failed step fails the requests in it, never the engine or other requests. */
    private void step() {
        StepPlan plan = StepPlan.EMPTY;
        try {
            plan = planner.plan();
            if (plan.isEmpty()) {
                LockSupport.parkNanos(this, 1_000_000); // nothing fits yet: wait for blocks or requests
                return;
            }
            long start = System.nanoTime();
            runner.run(plan);
            int sampled = applier.apply(plan, runner);
            metrics.step(System.nanoTime() - start, sampled);
        } catch (RuntimeException e) {
            LOG.error("engine step failed", e);
            for (StepPlan.Entry entry : plan.entries()) requests.finish(entry.sequence().request, e);
        }
    }

    /** The engine's counters; runs on the engine thread. */
    public EngineMetrics metrics(KvStats kv) {
        return metrics.snapshot(requests.queued(), requests.running(), kv);
    }

    /** Replaces the acceptance rule (engine thread; tests only). */
    public void useAcceptanceRule(AcceptanceRule rule) {
        applier.useAcceptanceRule(rule);
    }

    /** Installs the drafter that REDRAFTER requests draft with (engine thread). */
    public void useDrafter(BeamDrafter drafter) {
        applier.useDrafter(drafter);
    }

    /** Fails running and queued requests, stops the engine thread and waits for it. */
    @Override
    public void close() {
        closing = true;
        wake();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
