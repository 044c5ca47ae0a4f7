package dev.euclid.internal.hub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive right to download one blob: a second resolver in another process waits on the OS file
 * lock, one in another thread of this JVM on a stripe lock first (the JVM refuses to let two of its
 * own threads lock the same file: OverlappingFileLockException instead of waiting).
 */
final class BlobLock implements AutoCloseable {
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) STRIPES[i] = new ReentrantLock();
    }

    private final ReentrantLock stripe;
    private final FileChannel channel;
    private final FileLock lock;

    private BlobLock(ReentrantLock stripe, FileChannel channel, FileLock lock) {
        this.stripe = stripe;
        this.channel = channel;
        this.lock = lock;
    }

    /** Blocks until this thread holds the lock file {@code path} (created if missing). */
    static BlobLock acquire(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        ReentrantLock stripe = STRIPES[Math.floorMod(path.toAbsolutePath().normalize().hashCode(), STRIPES.length)];
        stripe.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new BlobLock(stripe, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            if (channel != null) channel.close();
            stripe.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            stripe.unlock();
        }
    }
}
