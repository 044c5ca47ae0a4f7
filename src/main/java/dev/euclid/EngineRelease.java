package dev.euclid;

import dev.euclid.internal.KvRuntime;
import dev.euclid.internal.NativeModel;
import dev.euclid.internal.sched.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the engine thread and frees the KV cache and the model; runs once, from close() or from
 * the Cleaner. Holds no reference to the Engine (which would keep it reachable forever).
 */
final class EngineRelease implements Runnable {
    /** Logged as Engine, the logger users configure: the leak is their Engine. */
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Scheduler scheduler;
    private final KvRuntime runtime;
    private final NativeModel model;
    volatile boolean explicit;

    EngineRelease(Scheduler scheduler, KvRuntime runtime, NativeModel model) {
        this.scheduler = scheduler;
        this.runtime = runtime;
        this.model = model;
    }

    @Override
    public void run() {
        if (!explicit) {
            LOG.warn("an Engine was garbage-collected without close(); stopping its thread and freeing its"
                    + " native memory now");
        }
        scheduler.close();
        runtime.close();
        model.close();
    }
}
