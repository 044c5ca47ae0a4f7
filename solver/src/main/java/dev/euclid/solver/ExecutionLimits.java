package dev.euclid.solver;

import java.time.Duration;

/** Per-run limits an executor enforces on model-written code. */
public record ExecutionLimits(Duration wallTime, long memoryBytes, long outputBytes) {
    public ExecutionLimits {
        if (wallTime == null || wallTime.isNegative() || wallTime.isZero()) {
            throw new IllegalArgumentException("wallTime must be positive, got " + wallTime);
        }
        if (memoryBytes <= 0) throw new IllegalArgumentException("memoryBytes must be positive, got " + memoryBytes);
        if (outputBytes <= 0) throw new IllegalArgumentException("outputBytes must be positive, got " + outputBytes);
    }

    /** 10 s wall time, 2 GiB of address space, 64 KiB of output per stream: NuminaMath-style tool calls. */
    public static ExecutionLimits defaults() {
        return new ExecutionLimits(Duration.ofSeconds(10), 2L << 30, 64L << 10);
    }
}
