package dev.euclid.internal.hub;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A response body that fails when the server goes silent. HttpClient's request timeout ends when
 * the headers arrive and its body stream has no read timeout, so a stalled transfer would block
 * forever; closing the stream from a watchdog wakes the blocked read with an IOException.
 */
final class StallGuard extends FilterInputStream {
    private static final ScheduledThreadPoolExecutor WATCHDOG = watchdog();

    private final long timeoutNanos;
    private final ScheduledFuture<?> check;
    private volatile long lastProgress = System.nanoTime();
    private volatile boolean stalled;

    private StallGuard(InputStream in, Duration timeout) {
        super(in);
        timeoutNanos = timeout.toNanos();
        long period = Math.max(10, timeout.toMillis() / 4);
        check = WATCHDOG.scheduleAtFixedRate(this::closeIfSilent, period, period, TimeUnit.MILLISECONDS);
    }

    /** {@code body}, closed by a watchdog once no byte has arrived for {@code timeout}. */
    static InputStream watch(InputStream body, Duration timeout) {
        return new StallGuard(body, timeout);
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            lastProgress = System.nanoTime();
            return b;
        } catch (IOException e) {
            throw stalled ? silence(e) : e;
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            int n = super.read(b, off, len);
            lastProgress = System.nanoTime();
            return n;
        } catch (IOException e) {
            throw stalled ? silence(e) : e;
        }
    }

    @Override
    public void close() throws IOException {
        check.cancel(false);
        super.close();
    }

    private void closeIfSilent() {
        if (System.nanoTime() - lastProgress < timeoutNanos) return;
        stalled = true;
        check.cancel(false);
        try {
            in.close();
        } catch (IOException e) {
            // the blocked reader gets its own IOException from the closed stream
        }
    }

    private IOException silence(IOException cause) {
        HttpTimeoutException e = new HttpTimeoutException("no data from the server for " + timeoutNanos / 1_000_000 + " ms");
        e.initCause(cause);
        return e;
    }

    private static ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "euclid-hub-stall-watchdog");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setKeepAliveTime(10, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
