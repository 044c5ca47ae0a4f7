package dev.euclid.server;

import java.util.concurrent.TimeUnit;

/**
 * Counts exchanges between their arrival and the moment they are closed (the last byte of the
 * response handed to the socket), so that shutdown closes connections only after that.
 */
final class InFlight {
    private int count; // guarded by this

    synchronized void enter() {
        count++;
    }

    synchronized void exit() {
        if (--count == 0) notifyAll();
    }

    /** Waits until none is in flight or {@code deadline} (System.nanoTime) passes; false on time-out. */
    synchronized boolean awaitNone(long deadline) {
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
