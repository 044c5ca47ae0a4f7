package dev.euclid.server;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads HTTP exchanges run on. A request thread mostly waits (for a place, for tokens, for
 * the socket), so on JDK 21+ each exchange gets a virtual thread; the code targets Java 17, so
 * that factory is looked up at run time. On 17, a fixed pool as large as the requests the server
 * admits, plus a few for the quick endpoints (and for refusing the rest with 429).
 */
final class RequestThreads {
    static final String NAME = "euclid-http-";

    private RequestThreads() {}

    static ExecutorService create(int admitted) {
        ExecutorService virtual = virtualPerTask();
        if (virtual != null) return virtual;
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, NAME + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        int threads = admitted + 16;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Whether exchanges run on virtual threads here (JDK 21+). */
    static boolean virtual() {
        return factoryMethod() != null;
    }

    private static ExecutorService virtualPerTask() {
        MethodHandle m = factoryMethod();
        if (m == null) return null;
        try {
            return (ExecutorService) m.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("Executors.newVirtualThreadPerTaskExecutor failed", e);
        }
    }

    private static MethodHandle factoryMethod() {
        try {
            return MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                    MethodType.methodType(ExecutorService.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17-20
        }
    }
}
