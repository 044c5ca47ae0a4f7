package dev.euclid.internal;

import java.lang.ref.Cleaner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees one native object exactly once: on close, or from the shared Cleaner when its Java owner
 * was dropped without close (then with a warning). Holds only the free action, never the owner,
 * or the owner could not become unreachable.
 */
public final class NativeRelease implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(NativeRelease.class);
    private static final Cleaner CLEANER = Cleaner.create();

    private final String what;
    private final Runnable free;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean freed;
    private volatile boolean explicit;

    /** Registers {@code owner}: when it becomes unreachable unclosed, {@code free} runs. */
    public NativeRelease(Object owner, String what, Runnable free) {
        this.what = what;
        this.free = free;
        this.cleanable = CLEANER.register(owner, this);
    }

    /** Frees now (idempotent). */
    public void close() {
        explicit = true;
        cleanable.clean();
    }

    public boolean freed() {
        return freed;
    }

    @Override
    public void run() {
        if (!explicit) LOG.warn("a {} was garbage-collected without close(); freeing its native memory now", what);
        freed = true;
        free.run();
    }
}
