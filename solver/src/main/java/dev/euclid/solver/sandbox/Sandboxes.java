package dev.euclid.solver.sandbox;

import dev.euclid.solver.CodeExecutor;
import dev.euclid.solver.ExecutionLimits;
import java.net.URI;
import java.net.URISyntaxException;

/** Opens a {@link CodeExecutor} from the spec a user writes on the command line ({@code --executor SPEC}). */
public final class Sandboxes {
    private Sandboxes() {}

    /**
     * @param spec   {@code local}: the fork server in the strongest isolation available, refusing
     *               to run without one; {@code local-unisolated}: the same, but running code with
     *               rlimits only when no isolation is available; {@code http://host:port} or
     *               {@code https://...}: a sandbox speaking NeMo-Skills' protocol
     * @param limits the limits runs will typically be given: the local executor runs no more at
     *               once than half the machine's memory holds at {@code memoryBytes} each
     * @throws IllegalArgumentException for an unknown spec
     * @throws IsolationUnavailableException for {@code local} on a machine without isolation
     */
    public static CodeExecutor open(String spec, ExecutionLimits limits) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("executor must be local, local-unisolated, http://host:port or https://...");
        }
        if (limits == null) throw new IllegalArgumentException("limits must not be null");
        String s = spec.trim();
        if (s.equals("local")) return local(limits).build();
        if (s.equals("local-unisolated")) return local(limits).allowUnisolated().build();
        if (s.startsWith("http://") || s.startsWith("https://")) {
            try {
                return new HttpSandboxExecutor(new URI(s));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("executor address is not a URL: " + s, e);
            }
        }
        throw new IllegalArgumentException("unknown executor '" + spec
                + "': use local, local-unisolated, http://host:port or https://...");
    }

    private static LocalPythonExecutor.Builder local(ExecutionLimits limits) {
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize();
        int byMemory = (int) Math.max(1, Math.min(Integer.MAX_VALUE, memory / 2 / limits.memoryBytes()));
        int cores = Math.max(2, Runtime.getRuntime().availableProcessors());
        return LocalPythonExecutor.builder().maxConcurrent(Math.min(cores, byMemory));
    }
}
