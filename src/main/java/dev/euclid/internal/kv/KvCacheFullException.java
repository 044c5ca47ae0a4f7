package dev.euclid.internal.kv;

/** No free or evictable KV block is left; the scheduler answers this by preempting a sequence. */
public final class KvCacheFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KvCacheFullException(String message) {
        super(message);
    }
}
