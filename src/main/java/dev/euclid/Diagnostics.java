package dev.euclid;

import dev.euclid.internal.NativeApi;

/**
 * Process-wide facts about the native engine, for monitoring and leak tests, and the machine's
 * limits that speed is judged against (memory read bandwidth, arithmetic peak), measured with the
 * engine's own threads and SIMD paths. Independent of any {@link Engine}.
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

    /** Instruction mixes whose peak rate {@link #arithmeticPeakFlops} measures. */
    public enum Arithmetic {
        /** FP32 fused multiply-add: what every matmul of the engine runs on (an FMA counts two FLOPs). */
        FP32_FMA,
        /** AVX512_BF16 dot products (vdpbf16ps); 0 FLOP/s where the CPU lacks them. */
        BF16_DOT
    }

    /**
     * This machine's memory read bandwidth in bytes per second: the best of five streaming reads of
     * {@code bytes} (which should be far larger than the caches, e.g. 1 GiB) on {@code threads} threads.
     */
    public static double memoryReadBandwidth(long bytes, int threads) {
        if (bytes < 1 << 20 || threads < 1) {
            throw new IllegalArgumentException("memoryReadBandwidth needs bytes >= 1 MiB and threads >= 1, got "
                    + bytes + " bytes, " + threads + " threads");
        }
        NativeApi.load();
        return NativeApi.measure_read_bandwidth(bytes, threads);
    }

    /**
     * CUDA device {@code index}'s memory bandwidth in bytes per second: the best of five
     * device-to-device copies of {@code bytes} (e.g. 1 GiB), counting bytes read and written.
     *
     * @throws DeviceUnavailableException when the device cannot be used, naming why
     */
    public static double cudaCopyBandwidth(int index, long bytes) {
        if (bytes < 1 << 20) throw new IllegalArgumentException("cudaCopyBandwidth needs bytes >= 1 MiB, got " + bytes);
        Device device = dev.euclid.internal.DeviceSelection.resolve(Device.CUDA(index), dev.euclid.internal.CudaFacts::probe, line -> {});
        return NativeApi.cuda_copy_bandwidth(device.index(), bytes);
    }

    /**
     * The peak rate of {@code kind} on {@code threads} threads in FLOP/s: independent chains in
     * registers, the best of five passes of about {@code passMillis} each.
     */
    public static double arithmeticPeakFlops(Arithmetic kind, int threads, int passMillis) {
        if (threads < 1 || passMillis < 1) {
            throw new IllegalArgumentException("arithmeticPeakFlops needs threads >= 1 and passMillis >= 1, got "
                    + threads + ", " + passMillis);
        }
        NativeApi.load();
        return NativeApi.measure_flops_peak(nativeKind(kind), threads, passMillis);
    }

    /** The SIMD loop {@link #arithmeticPeakFlops} runs for {@code kind} here: "avx512", "avx2" or "none". */
    public static String arithmeticPeakIsa(Arithmetic kind) {
        NativeApi.load();
        return NativeApi.flops_peak_isa(nativeKind(kind));
    }

    private static int nativeKind(Arithmetic kind) {
        return switch (kind) {
            case FP32_FMA -> NativeApi.PEAK_FP32_FMA;
            case BF16_DOT -> NativeApi.PEAK_BF16_DOT;
        };
    }
}
