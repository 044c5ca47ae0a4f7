package dev.euclid.solver.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.euclid.solver.ExecutionLimits;

/**
 * Everything the fork server enforces on one run: the caller's {@link ExecutionLimits} plus the
 * executor's fixed caps. CPU time gets one second over the wall limit so that, of the two, the
 * wall clock (which also catches sleeping and blocked code) normally fires first.
 */
record RunLimits(double wallSeconds, long memoryBytes, long outputBytes, long cpuSeconds, long fileSizeBytes,
                 int openFiles, int processes, long tmpfsBytes) {

    static RunLimits of(ExecutionLimits limits, SandboxCaps caps) {
        double wall = limits.wallTime().toNanos() / 1e9;
        return new RunLimits(wall, limits.memoryBytes(), limits.outputBytes(), (long) Math.ceil(wall) + 1,
                caps.fileSizeBytes(), caps.openFiles(), caps.processes(), caps.tmpfsBytes());
    }

    void writeTo(ObjectNode req) {
        req.put("wall", wallSeconds).put("memory", memoryBytes).put("output", outputBytes).put("cpu", cpuSeconds)
                .put("fsize", fileSizeBytes).put("nofile", openFiles).put("nproc", processes).put("tmpfs", tmpfsBytes);
    }
}
