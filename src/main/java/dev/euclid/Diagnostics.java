package dev.euclid;

import dev.euclid.internal.NativeApi;

/**
 * Process-wide facts about the native engine, for monitoring and leak tests. Independent of any
 * {@link Engine}: the figures cover every engine in the JVM.
 */
public final class Diagnostics {
    private Diagnostics() {}

    /**
     * Bytes of native memory the engine holds right now: weight storage, memory-mapped engine
     * files, KV cache pools and step workspaces of every open (or not yet garbage-collected) engine. It returns to its earlier value
     * once the engines opened since are closed, or freed by the cleaner after being dropped.
     */
    public static long nativeBytesInUse() {
        NativeApi.load();
        return NativeApi.native_bytes_in_use();
    }
}
